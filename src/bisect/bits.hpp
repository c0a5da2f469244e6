// A set of change indices as a fixed-size bitset. The search asks "is this
// candidate a subset of one that passed?" hundreds of times per run; on a
// thousand changes that is 16 words per test instead of a merge of vectors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace driftlock::bisect {

class Bits {
 public:
  Bits() = default;
  explicit Bits(std::size_t size) : m_size(size), m_words((size + 63) / 64, 0) {}

  static Bits of(std::size_t size, std::span<const std::size_t> members) {
    Bits b(size);
    for (std::size_t i : members) b.set(i);
    return b;
  }

  std::size_t size() const { return m_size; }
  bool test(std::size_t i) const { return ((m_words[i / 64] >> (i % 64)) & 1U) != 0; }
  void set(std::size_t i) { m_words[i / 64] |= std::uint64_t{1} << (i % 64); }
  void reset(std::size_t i) { m_words[i / 64] &= ~(std::uint64_t{1} << (i % 64)); }

  std::size_t count() const;
  bool empty() const;
  bool subset_of(const Bits& other) const;
  bool intersects(const Bits& other) const;

  Bits& operator|=(const Bits& other);
  Bits& operator-=(const Bits& other);
  friend Bits operator|(Bits a, const Bits& b) { return a |= b; }
  friend Bits operator-(Bits a, const Bits& b) { return a -= b; }
  friend bool operator==(const Bits& a, const Bits& b) = default;

  // Members in increasing index order: the Subset spelling of the API.
  std::vector<std::size_t> members() const;
  std::size_t hash() const;

 private:
  std::size_t m_size = 0;
  std::vector<std::uint64_t> m_words;
};

struct BitsHash {
  std::size_t operator()(const Bits& b) const { return b.hash(); }
};

}  // namespace driftlock::bisect
