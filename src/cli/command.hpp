// The command table: every subcommand, its one-line summary and its handler.
#pragma once

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/ecosystem.hpp"
#include "core/environment.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "publish/output_format.hpp"

namespace driftlock::cli {

// Everything a command may touch, so tests run commands in-process.
struct Context {
  std::ostream& out;
  std::ostream& err;
  publish::Color color = publish::Color::never;  // for text on `out`
  const Clock& clock;
  EcosystemTable ecosystems;
  std::vector<std::string> args;  // after the command's name
  bool progress = false;          // `err` is a terminal: long commands show a progress line
  Environment env = process_environment;
  // Failures after the command's work that do not undo it (a comment that
  // could not be posted): cli::run prints them, and exits 3 only when the
  // command otherwise succeeded.
  std::vector<Error> late_errors{};
};

// The exit code on success (0, or 1 where a command answers "no"); an Error
// is rendered by the top-level handler and mapped to 2 or 3.
using Handler = Result<int> (*)(Context& context);

struct Command {
  std::string_view name;
  std::string_view summary;
  Handler run;
};

std::span<const Command> commands();
const Command* find_command(std::string_view name);

Result<int> run_help(Context& context);
Result<int> run_version(Context& context);
Result<int> run_validate(Context& context);
Result<int> run_diff(Context& context);
Result<int> run_export(Context& context);
Result<int> run_resolve(Context& context);
Result<int> run_report(Context& context);
Result<int> run_check(Context& context);
Result<int> run_run(Context& context);
Result<int> run_bisect(Context& context);
Result<int> run_pin(Context& context);
Result<int> run_unpin(Context& context);
Result<int> run_history(Context& context);

// `driftlock help` without a topic.
std::string overview();

}  // namespace driftlock::cli
