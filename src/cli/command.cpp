#include "cli/command.hpp"

#include <array>

namespace driftlock::cli {

std::span<const Command> commands() {
  static const std::array table = {
      Command{"version", "compare versions and test ranges with an ecosystem's scheme",
              &run_version},
      Command{"validate", "check the manifest and its snapshot", &run_validate},
      Command{"diff", "show the changes between two snapshots", &run_diff},
      Command{"resolve", "resolve every dependency to the newest allowed release", &run_resolve},
      Command{"report", "new releases since the snapshot (for the nightly cron)", &run_report},
      Command{"export", "print the snapshot's pins as installers read them", &run_export},
      Command{"help", "show help for a command or topic (exit-codes)", &run_help},
  };
  return table;
}

const Command* find_command(std::string_view name) {
  for (const Command& c : commands()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace driftlock::cli
