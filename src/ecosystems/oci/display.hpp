// Renders untrusted text (registry data, manifest values) for an error message.
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

namespace driftlock::ecosystems::oci {

// Control and non-ASCII bytes become \xNN and long text is cut, so a hostile
// tag or reference cannot garble the terminal or flood the log.
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

}  // namespace driftlock::ecosystems::oci
