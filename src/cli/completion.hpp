// Shell completion scripts for bash, zsh and fish, generated from the command
// table: commands, options, option values (formats, files, folders) and, for
// pin/unpin/unhold, the manifest's dependencies, which the scripts ask of
// `driftlock completion --dependencies` as the user types.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace driftlock::cli {

enum class Shell { bash, zsh, fish };

std::optional<Shell> parse_shell(std::string_view name);

std::string completion_script(Shell shell);

}  // namespace driftlock::cli
