#include "ecosystems/oci/version.hpp"

#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ecosystems/display.hpp"

namespace driftlock::ecosystems::oci {
namespace {

constexpr std::size_t kMaxTagLength = 128;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_tag_char(char c) {
  return is_alnum(c) || c == '_' || c == '.' || c == '-';
}
bool is_separator(char c) {
  return c == '-' || c == '.' || c == '_';
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (lower(s[i]) != prefix[i]) return false;
  }
  return true;
}

int sign(int x) {
  return (x > 0) - (x < 0);
}

int compare_bytes(std::string_view a, std::string_view b) {
  return sign(a.compare(b));
}

// Digit strings by value, of any length: leading zeros dropped, then the
// longer is larger, then the first differing digit decides.
int compare_digits(std::string_view a, std::string_view b) {
  while (!a.empty() && a.front() == '0') a.remove_prefix(1);
  while (!b.empty() && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return compare_bytes(a, b);
}

// A tag read as [v]N(.N)*[pre-release][variant]. Tags that do not start with
// (v followed by) a digit are not version-like and only have their text.
struct Parts {
  bool version_like = false;
  std::vector<std::string_view> numbers;
  int pre_rank = 0;  // 0: not a pre-release; otherwise the marker's place below
  std::string_view pre_number;
  std::string_view variant;  // e.g. "-slim"; tags with different variants are separate lines
};

struct Marker {
  std::string_view spelling;
  int rank;            // order among pre-releases of the same numbers (PEP 440-like)
  bool single_letter;  // a/b only right after the numbers and before a digit: 3.13.0b2
};

// Longest spellings first so "preview" is not read as "pre" + "view".
constexpr Marker kMarkers[] = {
    {"preview", 4, false}, {"alpha", 2, false}, {"beta", 3, false}, {"pre", 4, false},
    {"dev", 1, false},     {"rc", 5, false},    {"a", 2, true},     {"b", 3, true},
};

constexpr int kFinalRank = 6;  // a release sorts after all of its pre-releases

// Reads a pre-release marker at the start of `rest` (what follows the
// numbers). A marker must end at the end of the tag or at a separator, so
// `3.12-alpine` and `12-bookworm` are variants, not pre-releases.
bool read_prerelease(std::string_view rest, Parts& parts) {
  std::size_t start = 0;
  bool separated = false;
  if (!rest.empty() && is_separator(rest[0])) {
    start = 1;
    separated = true;
  }
  for (const auto& marker : kMarkers) {
    if (!starts_with_nocase(rest.substr(start), marker.spelling)) continue;
    std::size_t end = start + marker.spelling.size();
    std::size_t digits = end;
    if (digits + 1 < rest.size() && rest[digits] == '.' && is_digit(rest[digits + 1])) ++digits;
    std::size_t stop = digits;
    while (stop < rest.size() && is_digit(rest[stop])) ++stop;
    if (stop == digits) stop = end;  // no number: leave a '.' to the variant
    if (marker.single_letter && (separated || stop == end)) continue;
    if (stop < rest.size() && !is_separator(rest[stop])) continue;
    parts.pre_rank = marker.rank;
    parts.pre_number = stop == end ? std::string_view() : rest.substr(digits, stop - digits);
    parts.variant = rest.substr(stop);
    return true;
  }
  return false;
}

Parts parse_parts(std::string_view tag) {
  Parts parts;
  std::size_t i = 0;
  if (tag.size() >= 2 && (tag[0] == 'v' || tag[0] == 'V') && is_digit(tag[1])) i = 1;
  if (i >= tag.size() || !is_digit(tag[i])) return parts;
  parts.version_like = true;
  while (true) {
    std::size_t start = i;
    while (i < tag.size() && is_digit(tag[i])) ++i;
    parts.numbers.push_back(tag.substr(start, i - start));
    if (i + 1 < tag.size() && tag[i] == '.' && is_digit(tag[i + 1])) {
      ++i;
      continue;
    }
    break;
  }
  std::string_view rest = tag.substr(i);
  if (!read_prerelease(rest, parts)) parts.variant = rest;
  return parts;
}

int compare_numbers(const std::vector<std::string_view>& a,
                    const std::vector<std::string_view>& b) {
  for (std::size_t k = 0; k < a.size() && k < b.size(); ++k) {
    if (int c = compare_digits(a[k], b[k]); c != 0) return c;
  }
  // 3.12 before 3.12.0: fewer components first keeps equality for identical tags only.
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return 0;
}

// A digest (sha256:<hex>, or name@sha256:<hex>) where a tag belongs.
bool looks_like_digest(std::string_view text) {
  for (std::string_view algorithm : {"sha256:", "sha384:", "sha512:"}) {
    if (starts_with_nocase(text, algorithm)) return true;
  }
  return text.find('@') != std::string_view::npos;
}

// Why `text` is not a tag (or, with wildcards allowed, not a tag pattern).
enum class Wildcards { reject, allow };

Result<void> check_tag(std::string_view text, Wildcards wildcards) {
  if (text.empty()) return fail_input("empty tag");
  if (looks_like_digest(text)) {
    return fail_input(
        "a digest is not a tag; give the tag to follow (the snapshot records its digest)");
  }
  bool allow = wildcards == Wildcards::allow;
  std::size_t literal = 0;
  for (char c : text) {
    if (allow && c == '*') continue;
    ++literal;
    if (c == ':') {
      return fail_input(
          "invalid character ':'; the value is just the tag (the image goes in the key)");
    }
    if (!is_tag_char(c)) {
      return fail_input(
          fmt::format("invalid character '{}' (allowed: A-Z, a-z, 0-9, '_', '.', '-'{})",
                      display({&c, 1}), allow ? ", '*'" : ""));
    }
  }
  if (literal > kMaxTagLength) return fail_input("longer than 128 characters");
  char first = text.front();
  if (!is_alnum(first) && first != '_' && !(allow && first == '*')) {
    return fail_input("tags start with a letter, digit or '_'");
  }
  return {};
}

Result<void> validate_range_reason(std::string_view range) {
  return check_tag(range, Wildcards::allow);
}

// Whether a glob asks for pre-releases itself: read with every wildcard as
// "0", it is a pre-release tag (3.13.0rc* and *-rc* do, 3.13.* does not).
bool names_prerelease(std::string_view pattern) {
  std::string example;
  for (char c : pattern) example += c == '*' ? '0' : c;
  return is_prerelease_tag(example);
}

class Scheme final : public VersionScheme {
 public:
  std::string_view ecosystem() const override { return "oci"; }

  // Tags are case-sensitive names, so the canonical spelling is the tag itself.
  Result<std::string> normalize(std::string_view version) const override {
    if (auto checked = validate_tag(version); !checked) return std::unexpected(checked.error());
    return std::string(version);
  }

  Result<int> compare(std::string_view a, std::string_view b) const override {
    if (auto checked = validate_tag(a); !checked) return std::unexpected(checked.error());
    if (auto checked = validate_tag(b); !checked) return std::unexpected(checked.error());
    return compare_tags(a, b);
  }

  Result<bool> is_prerelease(std::string_view version) const override {
    if (auto checked = validate_tag(version); !checked) return std::unexpected(checked.error());
    return is_prerelease_tag(version);
  }

  Result<void> validate_range(std::string_view range) const override {
    if (auto checked = validate_range_reason(range); !checked) {
      return fail_input(
          fmt::format("invalid OCI range '{}': {}", display(range), checked.error().message));
    }
    return {};
  }

  // A plain tag is followed as named, pre-release or not. A glob leaves out
  // pre-release tags under `exclude` unless the glob itself names one.
  Result<bool> satisfies(std::string_view range, std::string_view version,
                         Prereleases prereleases) const override {
    if (auto checked = validate_range(range); !checked) return std::unexpected(checked.error());
    if (auto checked = validate_tag(version); !checked) return std::unexpected(checked.error());
    if (range.find('*') == std::string_view::npos) return range == version;
    if (!glob_match(range, version)) return false;
    return prereleases == Prereleases::include || !is_prerelease_tag(version) ||
           names_prerelease(range);
  }
};

}  // namespace

Result<void> validate_tag(std::string_view tag) {
  if (auto checked = check_tag(tag, Wildcards::reject); !checked) {
    return fail_input(
        fmt::format("invalid OCI tag '{}': {}", display(tag), checked.error().message));
  }
  return {};
}

int compare_tags(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  Parts pa = parse_parts(a);
  Parts pb = parse_parts(b);
  // Names like `latest` or `stable` carry no order: they go first, by text.
  if (pa.version_like != pb.version_like) return pa.version_like ? 1 : -1;
  if (!pa.version_like) return compare_bytes(a, b);
  if (int c = compare_bytes(pa.variant, pb.variant); c != 0) return c;
  if (int c = compare_numbers(pa.numbers, pb.numbers); c != 0) return c;
  int rank_a = pa.pre_rank == 0 ? kFinalRank : pa.pre_rank;
  int rank_b = pb.pre_rank == 0 ? kFinalRank : pb.pre_rank;
  if (rank_a != rank_b) return rank_a < rank_b ? -1 : 1;
  if (int c = compare_digits(pa.pre_number, pb.pre_number); c != 0) return c;
  // Spelling differences only (v1 vs 1, 01 vs 1, rc1 vs -rc1): by text.
  return compare_bytes(a, b);
}

bool is_prerelease_tag(std::string_view tag) {
  return parse_parts(tag).pre_rank != 0;
}

bool glob_match(std::string_view pattern, std::string_view tag) {
  // Greedy with one backtrack point (the latest '*'): linear in practice,
  // quadratic at worst, and tags are at most 128 characters.
  std::size_t p = 0, t = 0;
  std::optional<std::size_t> star;
  std::size_t star_t = 0;
  while (t < tag.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_t = t;
    } else if (p < pattern.size() && pattern[p] == tag[t]) {
      ++p;
      ++t;
    } else if (star) {
      p = *star + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

const VersionScheme& version_scheme() {
  static const Scheme scheme;
  return scheme;
}

}  // namespace driftlock::ecosystems::oci
