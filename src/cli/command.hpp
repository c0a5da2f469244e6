// The command table: every subcommand with its summary, its options (as data,
// cli/options.hpp) and its handler. Parsing, --help, the man page and the
// shell completions are generated from it; a command's file holds only what
// the command does.
#pragma once

#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/options.hpp"
#include "core/ecosystem.hpp"
#include "core/environment.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "publish/output_format.hpp"

namespace driftlock::cli {

class Args;

// Whether a stream is a terminal (colour, a live status line).
enum class Terminal { no, yes };

// -q / -v: how much goes to stderr besides errors and warnings.
enum class Verbosity { quiet, normal, verbose };

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
  Verbosity verbosity = Verbosity::normal;
};

// "driftlock: LINE" on stderr unless --quiet: what was written or posted.
void say(Context& context, std::string_view line);
// "driftlock: LINE" on stderr with --verbose only: what was read and how.
void detail(Context& context, std::string_view line);

// The exit code on success (0, or 1 where a command answers "no"); an Error
// is rendered by the top-level handler and mapped to 2 or 3.
using Handler = Result<int> (*)(Context& context, const Args& args);

struct Command {
  std::string_view name;
  std::string_view summary;      // the overview's line
  std::string_view description;  // the first line of --help and of the man page section
  std::span<const OptionSpec> options;
  Handler run;
  std::string_view footer{};               // after the options in --help
  std::span<const Command> subcommands{};  // `version compare|satisfies|normalize`
  std::string_view usage{};                // the synopsis's arguments when options do not say it
};

std::span<const Command> commands();
const Command* find_command(std::string_view name);
const Command* find_subcommand(const Command& command, std::string_view name);

Result<int> run_help(Context& context, const Args& args);
Result<int> run_version(Context& context, const Args& args);
Result<int> run_init(Context& context, const Args& args);
Result<int> run_validate(Context& context, const Args& args);
Result<int> run_diff(Context& context, const Args& args);
Result<int> run_export(Context& context, const Args& args);
Result<int> run_resolve(Context& context, const Args& args);
Result<int> run_report(Context& context, const Args& args);
Result<int> run_check(Context& context, const Args& args);
Result<int> run_run(Context& context, const Args& args);
Result<int> run_bisect(Context& context, const Args& args);
Result<int> run_pin(Context& context, const Args& args);
Result<int> run_unpin(Context& context, const Args& args);
Result<int> run_unhold(Context& context, const Args& args);
Result<int> run_history(Context& context, const Args& args);
Result<int> run_completion(Context& context, const Args& args);
Result<int> run_gc(Context& context, const Args& args);

// `driftlock help` without a topic.
std::string overview();

}  // namespace driftlock::cli
