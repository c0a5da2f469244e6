// A per-thread memo of parsed versions and ranges. The policy asks a scheme
// about the same range for every release of a package and compares the same
// versions many times while sorting; parsing each text once makes resolving
// a thousand packages CPU-cheap. Results are copied out, so a later lookup
// that evicts entries never invalidates what a caller holds.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.hpp"

namespace driftlock {

template <class T>
class ParseMemo {
 public:
  explicit ParseMemo(std::size_t capacity) : m_capacity(capacity) {}

  template <class Parse>
  Result<T> get(std::string_view text, Parse&& parse) {
    if (auto it = m_entries.find(std::string(text)); it != m_entries.end()) return it->second;
    // Registries are finite but a long-running process is not: start over
    // rather than grow without bound.
    if (m_entries.size() >= m_capacity) m_entries.clear();
    return m_entries.emplace(std::string(text), parse(text)).first->second;
  }

 private:
  std::size_t m_capacity;
  std::unordered_map<std::string, Result<T>> m_entries;
};

}  // namespace driftlock
