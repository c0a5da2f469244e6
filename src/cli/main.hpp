// The command-line entry point: dispatch, the one top-level error handler, exit codes.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "core/environment.hpp"
#include "core/time.hpp"
#include "publish/output_format.hpp"

namespace driftlock::cli {

int main(int argc, char** argv);

// The whole CLI on explicit streams; `args` excludes the program name.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        const Clock& clock, publish::Color color = publish::Color::never,
        Environment env = process_environment);

// What --color=auto means: colour on a terminal unless NO_COLOR is set and
// not empty (no-color.org) or TERM is dumb.
publish::Color auto_color(Terminal stdout_terminal, const Environment& env);

}  // namespace driftlock::cli
