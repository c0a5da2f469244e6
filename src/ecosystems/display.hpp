// Renders untrusted text (registry data, manifest values) for an error message
// of the Debian and OCI rules. Unlike core/text escape_for_message, quotes and
// backslashes stay as they are: those messages quote with single quotes and
// show dpkg/tag syntax verbatim.
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

namespace driftlock::ecosystems {

// Control and non-ASCII bytes become \xNN and long text is cut, so a hostile
// name, version or tag cannot garble the terminal or flood the log.
inline std::string display(std::string_view text) {
  constexpr std::size_t kMaxShown = 100;
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c > 0x7e) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > kMaxShown) out += "...";
  return out;
}

}  // namespace driftlock::ecosystems
