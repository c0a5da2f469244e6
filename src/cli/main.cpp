#include "cli/main.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <vector>

#include "cli/command.hpp"
#include "cli/parse.hpp"
#include "core/suggest.hpp"
#include "ecosystems/registry.hpp"
#include "exec/cancellation.hpp"
#include "exec/command_runner.hpp"
#include "net/redact.hpp"

namespace driftlock::cli {
namespace {

void print_error(std::ostream& err, const Error& error) {
  // The last line of defence: whatever reached an error, no secret is shown.
  err << "driftlock: error: " << net::redact(render(error)) << "\n";
}

// -q/-v and --color, which every command takes.
Result<void> apply_common_options(Context& context, const Args& args) {
  if (args.given("--quiet")) {
    context.verbosity = Verbosity::quiet;
    context.progress = false;
  } else if (args.given("--verbose")) {
    context.verbosity = Verbosity::verbose;
  }
  const std::string& when = args.value("--color");
  if (when == "always") {
    context.color = publish::Color::always;
  } else if (when == "never") {
    context.color = publish::Color::never;
  } else if (when != "auto") {
    return fail(ErrorKind::usage,
                fmt::format("unknown --color '{}' (expected auto, always or never){}", when,
                            did_you_mean(when, kColorChoices)));
  }
  return {};
}

}  // namespace

std::string overview() {
  std::string out =
      "usage: driftlock [--version] [--help] <command> [<args>]\n\n"
      "Keeps a CI image's dependencies moving without shipping a broken image.\n\n"
      "commands:\n";
  for (const Command& c : commands()) out += fmt::format("  {:<10}  {}\n", c.name, c.summary);
  out +=
      "\nrun 'driftlock <command> --help' for a command's options, "
      "'driftlock help exit-codes' for exit codes.\n";
  return out;
}

void say(Context& context, std::string_view line) {
  if (context.verbosity != Verbosity::quiet) context.err << "driftlock: " << line << "\n";
}

void detail(Context& context, std::string_view line) {
  if (context.verbosity == Verbosity::verbose) context.err << "driftlock: " << line << "\n";
}

publish::Color auto_color(Terminal stdout_terminal, const Environment& env) {
  if (stdout_terminal == Terminal::no) return publish::Color::never;
  // no-color.org: present and not empty disables colour; so does a dumb terminal.
  if (auto no_color = env("NO_COLOR"); no_color && !no_color->empty()) {
    return publish::Color::never;
  }
  if (auto term = env("TERM"); term && *term == "dumb") return publish::Color::never;
  return publish::Color::always;
}

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        const Clock& clock, publish::Color color, Environment env) {
  if (args.empty()) {
    err << overview();
    return 2;
  }
  const std::string& name = args[0];
  if (name == "--version" || name == "-V") {
    out << "driftlock " << DRIFTLOCK_VERSION << "\n";
    return 0;
  }
  if (name == "--help" || name == "-h") {
    out << overview();
    return 0;
  }
  const Command* command = find_command(name);
  if (!command) {
    std::vector<std::string_view> names;
    for (const Command& c : commands()) names.push_back(c.name);
    print_error(err, Error{ErrorKind::usage,
                           fmt::format("unknown command '{}'{}\nrun 'driftlock help' for the list",
                                       name, did_you_mean(name, names)),
                           std::nullopt});
    return 2;
  }
  Context context{out,
                  err,
                  color,
                  clock,
                  ecosystems::all(),
                  std::vector<std::string>(args.begin() + 1, args.end()),
                  &err == &std::cerr && isatty(STDERR_FILENO) != 0,
                  std::move(env)};
  auto parsed = parse_command_line(*command, context.args);
  if (!parsed) {
    print_error(err, parsed.error());
    return exit_code(parsed.error().kind);
  }
  if (auto* helped = std::get_if<Helped>(&*parsed)) {
    out << helped->text;
    return 0;
  }
  const Args& options = std::get<Args>(*parsed);
  if (auto applied = apply_common_options(context, options); !applied) {
    print_error(err, applied.error());
    return exit_code(applied.error().kind);
  }
  Result<int> result = command->run(context, options);
  for (const Error& late : context.late_errors) print_error(err, late);
  if (!result) {
    print_error(err, result.error());
    if (auto signal = exec::cancellation_signal()) {
      err << fmt::format(
          "driftlock: interrupted ({}): the running builds were stopped and nothing was "
          "written; the next run recalls every build that finished\n",
          exec::signal_name(*signal));
    }
    return exit_code(result.error().kind);
  }
  // A late failure never hides the command's own verdict (1: culprits, ...).
  if (*result == 0 && !context.late_errors.empty()) {
    return exit_code(context.late_errors.front().kind);
  }
  return *result;
}

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  SystemClock clock;
  try {
    const Terminal terminal = isatty(STDOUT_FILENO) != 0 ? Terminal::yes : Terminal::no;
    return run(args, std::cout, std::cerr, clock, auto_color(terminal, process_environment));
  } catch (const std::exception& e) {
    // Only the truly unexpected gets here; it is still an error, never a crash.
    std::cerr << "driftlock: internal error: " << e.what() << "\n";
    return 3;
  }
}

}  // namespace driftlock::cli
