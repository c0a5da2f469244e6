#include "ecosystems/debian/version.hpp"

#include <climits>

#include <fmt/format.h>

#include "ecosystems/display.hpp"

namespace driftlock::ecosystems::debian {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// dpkg trims with the C locale's isspace.
bool is_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Why `text` is not a version, in the words of the message; parse_version and
// parse_range put different prefixes in front of it.
Result<Version> parse_reason(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty()) return fail_input("empty version");
  for (char c : s) {
    if (is_space(c)) return fail_input("embedded whitespace");
  }
  Version v;
  if (auto colon = s.find(':'); colon != std::string_view::npos) {
    std::string_view epoch = s.substr(0, colon);
    if (epoch.empty()) return fail_input("empty epoch before ':'");
    std::uint64_t value = 0;
    for (char c : epoch) {
      if (!is_digit(c))
        return fail_input(fmt::format("epoch '{}' is not a number", display(epoch)));
      value = value * 10 + static_cast<std::uint64_t>(c - '0');
      if (value > INT_MAX) return fail_input(fmt::format("epoch is larger than {}", INT_MAX));
    }
    v.epoch = static_cast<std::uint32_t>(value);
    s.remove_prefix(colon + 1);
    if (s.empty()) return fail_input("nothing after the epoch's ':'");
  }
  // The revision follows the last '-', so the upstream part may hold '-' only
  // when there is a revision, and ':' only when there is an epoch.
  if (auto hyphen = s.rfind('-'); hyphen != std::string_view::npos) {
    if (hyphen + 1 == s.size()) return fail_input("empty revision after '-'");
    v.revision = s.substr(hyphen + 1);
    s = s.substr(0, hyphen);
  }
  if (s.empty()) return fail_input("empty upstream version");
  for (char c : s) {
    if (!is_digit(c) && !is_alpha(c) &&
        std::string_view(".+~-:").find(c) == std::string_view::npos) {
      return fail_input(
          fmt::format("invalid character '{}' in upstream version", display({&c, 1})));
    }
  }
  for (char c : v.revision) {
    if (!is_digit(c) && !is_alpha(c) && std::string_view(".+~").find(c) == std::string_view::npos) {
      return fail_input(fmt::format("invalid character '{}' in revision", display({&c, 1})));
    }
  }
  v.upstream = s;
  return v;
}

// dpkg's weight of a non-digit character: '~' before the end of the part, the
// end before letters, letters before everything else.
int weight(std::string_view s, std::size_t i) {
  if (i >= s.size()) return 0;
  char c = s[i];
  if (is_digit(c)) return 0;
  if (is_alpha(c)) return static_cast<unsigned char>(c);
  if (c == '~') return -1;
  return static_cast<unsigned char>(c) + 256;
}

int sign(int x) {
  return (x > 0) - (x < 0);
}

// dpkg's verrevcmp: alternate non-digit runs (by weight) and digit runs (by
// value). Digit runs are compared as strings without leading zeros, so any
// length works without overflow.
int compare_part(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    while ((i < a.size() && !is_digit(a[i])) || (j < b.size() && !is_digit(b[j]))) {
      int wa = weight(a, i), wb = weight(b, j);
      if (wa != wb) return sign(wa - wb);
      ++i;
      ++j;
    }
    while (i < a.size() && a[i] == '0') ++i;
    while (j < b.size() && b[j] == '0') ++j;
    int first_diff = 0;
    while (i < a.size() && is_digit(a[i]) && j < b.size() && is_digit(b[j])) {
      if (first_diff == 0) first_diff = a[i] - b[j];
      ++i;
      ++j;
    }
    if (i < a.size() && is_digit(a[i])) return 1;
    if (j < b.size() && is_digit(b[j])) return -1;
    if (first_diff != 0) return sign(first_diff);
  }
  return 0;
}

bool holds(Op op, int order) {
  switch (op) {
    case Op::less:
      return order < 0;
    case Op::less_equal:
      return order <= 0;
    case Op::equal:
      return order == 0;
    case Op::greater_equal:
      return order >= 0;
    case Op::greater:
      return order > 0;
  }
  return false;
}

struct OpSpelling {
  std::string_view text;
  Op op;
};

// Longest first, so "<<" is not read as "<" followed by "<".
constexpr OpSpelling kOps[] = {
    {"<<", Op::less},    {"<=", Op::less_equal}, {">=", Op::greater_equal},
    {">>", Op::greater}, {"=", Op::equal},
};

// Why a single relation is malformed; parse_range adds the range as a prefix.
Result<Relation> parse_relation(std::string_view part) {
  if (part.empty()) return fail_input("empty relation");
  if (part == "*") return fail_input("'*' cannot be combined with other relations");
  if (part.starts_with("==")) return fail_input("'==' is not a dpkg operator; use '='");
  if (part.starts_with("!=")) {
    return fail_input("'!=' is not a dpkg operator (expected <<, <=, =, >= or >>)");
  }
  Relation relation;
  std::string_view rest;
  bool found = false;
  for (const auto& spelling : kOps) {
    if (part.starts_with(spelling.text)) {
      relation.op = spelling.op;
      rest = trim(part.substr(spelling.text.size()));
      found = true;
      break;
    }
  }
  if (!found && (part.front() == '<' || part.front() == '>')) {
    return fail_input(part.front() == '<' ? "'<' is deprecated in dpkg; use '<<' (earlier) or '<=' "
                                            "(earlier or equal)"
                                          : "'>' is deprecated in dpkg; use '>>' (later) or '>=' "
                                            "(later or equal)");
  }
  if (!found) {
    return fail_input(
        fmt::format("'{}' has no operator (expected <<, <=, =, >= or >>, e.g. '= {}')",
                    display(part), display(part)));
  }
  if (rest.empty()) return fail_input("missing version after the operator");
  auto version = parse_reason(rest);
  if (!version) {
    return fail_input(fmt::format("version '{}': {}", display(rest), version.error().message));
  }
  relation.version = std::move(*version);
  return relation;
}

class Scheme final : public VersionScheme {
 public:
  std::string_view ecosystem() const override { return "debian"; }

  // dpkg never rewrites a version (0:1.0 and 1.0 are equal but both stay as
  // written), so the canonical spelling is the input without surrounding space.
  Result<std::string> normalize(std::string_view version) const override {
    auto parsed = parse_version(version);
    if (!parsed) return std::unexpected(parsed.error());
    return std::string(trim(version));
  }

  Result<int> compare(std::string_view a, std::string_view b) const override {
    auto va = parse_version(a);
    if (!va) return std::unexpected(va.error());
    auto vb = parse_version(b);
    if (!vb) return std::unexpected(vb.error());
    return debian::compare(*va, *vb);
  }

  Result<bool> is_prerelease(std::string_view version) const override {
    auto parsed = parse_version(version);
    if (!parsed) return std::unexpected(parsed.error());
    return debian::is_prerelease(*parsed);
  }

  Result<void> validate_range(std::string_view range) const override {
    auto parsed = parse_range(range);
    if (!parsed) return std::unexpected(parsed.error());
    return {};
  }

  // apt has no notion of pre-releases, so `prereleases` is ignored: a range
  // admits exactly the versions its relations admit.
  Result<bool> satisfies(std::string_view range, std::string_view version,
                         Prereleases /*prereleases*/) const override {
    auto relations = parse_range(range);
    if (!relations) return std::unexpected(relations.error());
    auto parsed = parse_version(version);
    if (!parsed) return std::unexpected(parsed.error());
    return debian::satisfies(*relations, *parsed);
  }
};

}  // namespace

Result<Version> parse_version(std::string_view text) {
  auto parsed = parse_reason(text);
  if (!parsed) {
    return fail_input(
        fmt::format("invalid Debian version '{}': {}", display(text), parsed.error().message));
  }
  return parsed;
}

int compare(const Version& a, const Version& b) {
  if (a.epoch != b.epoch) return a.epoch < b.epoch ? -1 : 1;
  if (int c = compare_part(a.upstream, b.upstream); c != 0) return c;
  return compare_part(a.revision, b.revision);
}

bool is_prerelease(const Version& version) {
  return version.upstream.find('~') != std::string::npos;
}

Result<std::vector<Relation>> parse_range(std::string_view range) {
  auto bad = [&](std::string_view why) {
    return fail_input(fmt::format("invalid Debian range '{}': {}", display(range), why));
  };
  std::string_view text = trim(range);
  if (text.empty()) return bad("empty range (use '*' for any version)");
  if (text == "*") return std::vector<Relation>{};
  std::vector<Relation> relations;
  while (true) {
    auto comma = text.find(',');
    auto relation = parse_relation(trim(text.substr(0, comma)));
    if (!relation) return bad(relation.error().message);
    relations.push_back(std::move(*relation));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return relations;
}

bool satisfies(const std::vector<Relation>& relations, const Version& version) {
  for (const auto& relation : relations) {
    if (!holds(relation.op, compare(version, relation.version))) return false;
  }
  return true;
}

const VersionScheme& version_scheme() {
  static const Scheme scheme;
  return scheme;
}

}  // namespace driftlock::ecosystems::debian
