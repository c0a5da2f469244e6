// The token grammar of node-semver, matched by hand (internal to npm/).
//
// node-semver parses with regular expressions and rewrites ranges by regex
// replacement, so its exact behaviour includes which alternative a
// backtracking matcher tries first. These matchers enumerate the same
// candidates in the same order; the caller's `accept` test plays the part of
// the rest of the pattern. Only the patch number of the loose forms really
// backtracks ("1.2.34.5" loose is 1.2.3-4.5); every other token is maximal.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace driftlock::ecosystems::npm::syntax {

// The four "plain" version shapes of node-semver:
//   full          v?1.2.3-pre.1+build        (strict version)
//   loose         [v= ]*1.2.3pre+build       (loose version, hyphen optional)
//   xrange        [v= ]*1.x, 1.2.*, 1.2.3-pre (strict partial version)
//   xrange_loose  as xrange with loose numbers and pre-releases
enum class Plain { full, loose, xrange, xrange_loose };

struct Match {
  std::size_t begin = 0;  // the prefix (`v`, `=`, spaces) included
  std::size_t end = 0;
  // Present parts; an absent minor or patch (x-ranges) is nullopt.
  std::string_view major;
  std::optional<std::string_view> minor, patch, prerelease, build;
};

// A non-owning reference to a predicate on the match's end offset.
class Accept {
 public:
  template <class F>
  Accept(const F& f)  // NOLINT: implicit on purpose, like std::function_ref
      : m_object(&f),
        m_call([](const void* o, std::size_t e) { return (*static_cast<const F*>(o))(e); }) {}
  bool operator()(std::size_t end) const { return m_call(m_object, end); }

 private:
  const void* m_object;
  bool (*m_call)(const void*, std::size_t);
};

// Matches `shape` at text[pos]; on success `out` holds the first candidate
// (in the regex's priority order) whose end `accept` takes.
bool match_plain(std::string_view text, std::size_t pos, Plain shape, Accept accept, Match& out);

// Matches `shape` at text[pos] up to the end of `text`.
std::optional<Match> match_whole(std::string_view text, std::size_t pos, Plain shape);

// The end of the comparison operator (`<`, `<=`, `>`, `>=`, `=` or nothing)
// at text[pos], taken greedily as node-semver's GTLT token does.
std::size_t operator_end(std::string_view text, std::size_t pos);

// `digits` + 1 computed and printed the way JavaScript's `+digits + 1` does:
// in doubles, so huge numbers lose precision and from 1e21 on print as "1e+21".
std::string js_increment(std::string_view digits);

// The numeric value of an all-digit identifier as a JavaScript number.
double js_number(std::string_view digits);

}  // namespace driftlock::ecosystems::npm::syntax
