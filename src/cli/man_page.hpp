// The manual page (roff, man(7)) and the synopsis lines, generated from the
// command table so they never disagree with --help. docs/driftlock.1 is this
// output, checked by a test.
#pragma once

#include <string>
#include <string_view>

#include "cli/command.hpp"

namespace driftlock::cli {

// "driftlock diff [options] OLD NEW".
std::string synopsis(const Command& command, std::string_view parent = {});

// `driftlock help --man`.
std::string man_page();

// `driftlock help exit-codes`.
std::string_view exit_codes_text();

}  // namespace driftlock::cli
