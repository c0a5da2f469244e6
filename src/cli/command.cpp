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
      Command{"check", "build and test the pinned snapshot; never pushes", &run_check},
      Command{"run", "the gated pipeline: resolve, build, test, bisect, commit, push", &run_run},
      Command{"bisect", "find the culprits between two lock files", &run_bisect},
      Command{"pin", "hold a dependency at a version in the manifest", &run_pin},
      Command{"unpin", "remove a dependency's hold from the manifest", &run_unpin},
      Command{"history", "past runs, culprits and held-back versions", &run_history},
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
