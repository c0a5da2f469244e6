// How many changes the next cut(s) should hold. Internal to bisect/.
//
// Every way the unknown changes could still contain culprits is a
// "configuration"; one with d culprits in total gets weight 2^-ceil(log2 C(n,d))
// (decaying further beyond three culprits), i.e. each d gets the share of the
// probe budget its information-theoretic bound allows. A cut is chosen so the
// weight of "the cut fails" and "the cut passes" are as equal as possible;
// p parallel cuts split the weight into p+1 equal parts. For one culprit this
// is plain halving; for several it leans towards smaller cuts (the earliest of
// several culprits sits early), and "are there any more?" is just the cut that
// takes every remaining change.
#pragma once

#include <cstddef>
#include <vector>

namespace driftlock::bisect {

struct SplitState {
  std::size_t candidates = 0;         // changes the cut is taken from, in order
  std::size_t unknown_elsewhere = 0;  // other changes whose status is unknown
  std::size_t found = 0;              // culprits already named
  bool candidates_fail = false;       // the cut holding every candidate is known to fail
};

class SplitModel {
 public:
  explicit SplitModel(std::size_t n) : m_n(n) {}

  // Up to `count` increasing cut sizes in [1, candidates] (candidates - 1 when
  // the full cut is known to fail).
  std::vector<std::size_t> sizes(const SplitState& state, std::size_t count) const;

 private:
  double log2_weight(std::size_t d) const;
  std::size_t m_n;
};

// Even k-ary split, for searches with a single thing to find (a partner).
std::vector<std::size_t> even_sizes(std::size_t candidates, bool candidates_fail,
                                    std::size_t count);

}  // namespace driftlock::bisect
