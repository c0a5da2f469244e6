#include "cli/main.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <vector>

#include "cli/command.hpp"
#include "core/suggest.hpp"
#include "ecosystems/registry.hpp"

namespace driftlock::cli {
namespace {

void print_error(std::ostream& err, const Error& error) {
  err << "driftlock: error: " << render(error) << "\n";
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
  Result<int> result = command->run(context);
  for (const Error& late : context.late_errors) print_error(err, late);
  if (!result) {
    print_error(err, result.error());
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
  const bool color_ok = isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  SystemClock clock;
  try {
    return run(args, std::cout, std::cerr, clock,
               color_ok ? publish::Color::always : publish::Color::never);
  } catch (const std::exception& e) {
    // Only the truly unexpected gets here; it is still an error, never a crash.
    std::cerr << "driftlock: internal error: " << e.what() << "\n";
    return 3;
  }
}

}  // namespace driftlock::cli
