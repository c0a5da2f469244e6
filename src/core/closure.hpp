// The closure: every package an ecosystem's installer put into the image, as
// its own listing command prints them (`npm ls --all --json`, `pip freeze`,
// `dpkg-query -W`). Each ecosystem parses its listing (Ecosystem::parse_closure);
// the helpers here are what those parsers share.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace driftlock {

struct ClosurePackage {
  std::string name;  // spelt as the snapshot spells the ecosystem's names
  std::string version;
  // The names of the installed packages that require this one, sorted, when
  // the listing says (npm's tree, pip inspect's requires_dist); else empty.
  std::vector<std::string> via;

  bool operator==(const ClosurePackage&) const = default;
};

struct ClosureListing {
  std::vector<ClosurePackage> packages;  // sorted by name, one entry per name
  // Listing lines naming packages a registry cannot pin (pip's "name @
  // file://…", "-e …"), trimmed and escaped (core/text.hpp), for a warning.
  std::vector<std::string> skipped;

  bool operator==(const ClosureListing&) const = default;
};

// (ecosystem, name) -> names of packages. What a listing says (the packages
// that require each one), or what the state database keeps per transitive
// package: the named (manifest) packages it came through.
using ClosureVia = std::map<std::pair<std::string, std::string>, std::vector<std::string>>;

// Parses one ecosystem's listing; a pure function. Errors are input errors
// "line N: …" without a location: the caller names the command.
using ClosureParser = Result<ClosureListing> (*)(std::string_view listing);

// An input error about line `line` (1-based) of a listing: "line N: message".
std::unexpected<Error> fail_listing_line(std::size_t line, std::string_view message);

// A listing line as shown in messages: trimmed, escaped, cut after 80 bytes.
std::string listing_excerpt(std::string_view line);

// A skipped listing line as ClosureListing::skipped keeps it: trimmed,
// escaped, cut after 300 bytes.
std::string skipped_text(std::string_view line);

// The 1-based line of byte `offset` in `text`.
std::size_t line_of(std::string_view text, std::size_t offset);

// JSON listings nested deeper than this are refused before parsing: npm's
// tree is two levels per dependency level, far fewer.
inline constexpr std::size_t kMaxListingDepth = 512;

// "line N: JSON nested deeper than 512 levels" when `text` is.
Result<void> check_listing_depth(std::string_view text);

// "line N: invalid JSON: …" for a nlohmann parse error at byte `byte` (its
// 1-based `byte` member) whose what() is `what`.
std::unexpected<Error> fail_listing_json(std::string_view text, std::size_t byte,
                                         std::string_view what);

// Collects a listing's packages one per name. A name seen again with the same
// version merges into the first entry; with another version it is an error
// naming both lines. `key` is the name under which two spellings are the same
// package (PyPI's normalized name); empty means the name itself.
class ClosureBuilder {
 public:
  Result<void> add(ClosurePackage package, std::size_t line, std::string key = {});
  void skip(std::string_view line);
  // Sorted by name, `via` sorted and without repeats.
  ClosureListing finish() &&;

 private:
  struct Entry {
    ClosurePackage package;
    std::size_t line = 0;
  };
  std::map<std::string, Entry> m_entries;  // by key
  std::vector<std::string> m_skipped;
};

}  // namespace driftlock
