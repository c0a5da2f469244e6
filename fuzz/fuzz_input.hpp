// What every fuzz target shares: the input as text, split into parts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace driftlock::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The input cut at each '\n' (a version and a range, say); the last part runs
// to the end. At most `limit` parts: the last one keeps any further '\n'.
inline std::vector<std::string_view> split_parts(std::string_view text, std::size_t limit) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < limit) {
    const auto end = text.find('\n');
    if (end == std::string_view::npos) {
      break;
    }
    parts.push_back(text.substr(0, end));
    text.remove_prefix(end + 1);
  }
  parts.push_back(text);
  return parts;
}

// A failed invariant: abort, so libFuzzer keeps the input as a crash.
inline void check(bool holds) {
  if (!holds) {
    __builtin_trap();
  }
}

}  // namespace driftlock::fuzz
