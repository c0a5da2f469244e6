// Turns a command line into Args by the command table (on CLI11), with
// driftlock's error style: usage errors are Errors (exit 2) with a "did you
// mean" for misspelt options. CLI11 stays inside parse.cpp.
#pragma once

#include <span>
#include <string>
#include <variant>
#include <vector>

#include "cli/args.hpp"
#include "cli/command.hpp"

namespace driftlock::cli {

// The command's --help text.
struct Helped {
  std::string text;
};

// `words` are the arguments after the command's name. -h/--help anywhere
// gives the help text instead of Args.
Result<std::variant<Args, Helped>> parse_command_line(const Command& command,
                                                      std::span<const std::string> words);

// `driftlock NAME --help`, generated from the table.
std::string help_text(const Command& command);

}  // namespace driftlock::cli
