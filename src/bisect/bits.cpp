#include "bisect/bits.hpp"

#include <bit>

namespace driftlock::bisect {

std::size_t Bits::count() const {
  std::size_t total = 0;
  for (std::uint64_t w : m_words) total += static_cast<std::size_t>(std::popcount(w));
  return total;
}

bool Bits::empty() const {
  for (std::uint64_t w : m_words) {
    if (w != 0) return false;
  }
  return true;
}

bool Bits::subset_of(const Bits& other) const {
  for (std::size_t i = 0; i < m_words.size(); ++i) {
    if ((m_words[i] & ~other.m_words[i]) != 0) return false;
  }
  return true;
}

bool Bits::intersects(const Bits& other) const {
  for (std::size_t i = 0; i < m_words.size(); ++i) {
    if ((m_words[i] & other.m_words[i]) != 0) return true;
  }
  return false;
}

Bits& Bits::operator|=(const Bits& other) {
  for (std::size_t i = 0; i < m_words.size(); ++i) m_words[i] |= other.m_words[i];
  return *this;
}

Bits& Bits::operator-=(const Bits& other) {
  for (std::size_t i = 0; i < m_words.size(); ++i) m_words[i] &= ~other.m_words[i];
  return *this;
}

std::vector<std::size_t> Bits::members() const {
  std::vector<std::size_t> out;
  for (std::size_t w = 0; w < m_words.size(); ++w) {
    std::uint64_t word = m_words[w];
    while (word != 0) {
      out.push_back(w * 64 + static_cast<std::size_t>(std::countr_zero(word)));
      word &= word - 1;
    }
  }
  return out;
}

std::size_t Bits::hash() const {
  // FNV-1a over the words: stable across runs, so nothing depends on the address space.
  std::uint64_t h = 1469598103934665603ULL;
  for (std::uint64_t w : m_words) {
    h ^= w;
    h *= 1099511628211ULL;
  }
  return static_cast<std::size_t>(h);
}

}  // namespace driftlock::bisect
