#include "ecosystems/pypi/version.hpp"

#include "core/parse_memo.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "ecosystems/pypi/text.hpp"
#include "ecosystems/pypi/version_parser.hpp"

namespace driftlock::ecosystems::pypi {
namespace detail {
namespace {

// A hand-written scanner instead of a regex: the reference pattern is a chain
// of optional atomic groups, so one greedy left-to-right pass that restores
// the position whenever a group fails accepts exactly the same strings.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : m_text(text) {}

  std::size_t pos() const { return m_pos; }
  void reset(std::size_t pos) { m_pos = pos; }
  bool at(char c) const { return m_pos < m_text.size() && m_text[m_pos] == c; }
  bool digit_at(std::size_t pos) const { return pos < m_text.size() && is_digit(m_text[pos]); }
  bool alnum_at(std::size_t pos) const { return pos < m_text.size() && is_alnum(m_text[pos]); }

  bool take(char c) {
    if (!at(c)) return false;
    ++m_pos;
    return true;
  }

  // One of '.', '-', '_'.
  bool take_separator() { return take('.') || take('-') || take('_'); }

  // Case-insensitive keyword.
  bool take_word(std::string_view word) {
    if (m_text.size() - m_pos < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
      if (ascii_lower(m_text[m_pos + i]) != word[i]) return false;
    }
    m_pos += word.size();
    return true;
  }

  // A run of ASCII digits as a number without leading zeros; empty when none.
  std::string take_number() {
    const std::size_t begin = m_pos;
    while (digit_at(m_pos)) ++m_pos;
    std::string_view digits = m_text.substr(begin, m_pos - begin);
    if (digits.empty()) return {};
    const std::size_t first = std::min(digits.find_first_not_of('0'), digits.size() - 1);
    return std::string(digits.substr(first));
  }

  std::string_view take_alnum() {
    const std::size_t begin = m_pos;
    while (alnum_at(m_pos)) ++m_pos;
    return m_text.substr(begin, m_pos - begin);
  }

 private:
  std::string_view m_text;
  std::size_t m_pos = 0;
};

struct Label {
  std::string_view spelling;
  PreLabel label;
};

// In the reference pattern's alternation order: the first spelling that
// matches wins and is never revisited (longer spellings come first).
constexpr std::array<Label, 8> kPreLabels = {{
    {"alpha", PreLabel::a},
    {"a", PreLabel::a},
    {"beta", PreLabel::b},
    {"b", PreLabel::b},
    {"preview", PreLabel::rc},
    {"pre", PreLabel::rc},
    {"c", PreLabel::rc},
    {"rc", PreLabel::rc},
}};
constexpr std::array<std::string_view, 3> kPostLabels = {"post", "rev", "r"};

std::string number_or_zero(std::string number) {
  return number.empty() ? "0" : number;
}

void parse_pre(Scanner& in, Version& v) {
  const std::size_t start = in.pos();
  in.take_separator();
  for (const Label& label : kPreLabels) {
    if (in.take_word(label.spelling)) {
      in.take_separator();
      v.pre = PreRelease{label.label, number_or_zero(in.take_number())};
      return;
    }
  }
  in.reset(start);
}

void parse_post(Scanner& in, Version& v) {
  const std::size_t start = in.pos();
  // The implicit form "1.0-1".
  if (in.at('-') && in.digit_at(start + 1)) {
    in.take('-');
    v.post = in.take_number();
    return;
  }
  in.take_separator();
  for (std::string_view label : kPostLabels) {
    if (in.take_word(label)) {
      in.take_separator();
      v.post = number_or_zero(in.take_number());
      return;
    }
  }
  in.reset(start);
}

void parse_dev(Scanner& in, Version& v) {
  const std::size_t start = in.pos();
  in.take_separator();
  if (in.take_word("dev")) {
    in.take_separator();
    v.dev = number_or_zero(in.take_number());
    return;
  }
  in.reset(start);
}

std::string local_part(std::string_view text) {
  const bool numeric = std::all_of(text.begin(), text.end(), is_digit);
  if (!numeric) return ascii_lowercase(text);
  const std::size_t first = std::min(text.find_first_not_of('0'), text.size() - 1);
  return std::string(text.substr(first));
}

void parse_local(Scanner& in, Version& v) {
  const std::size_t start = in.pos();
  if (!in.take('+')) return;
  std::string_view part = in.take_alnum();
  if (part.empty()) {
    in.reset(start);
    return;
  }
  v.local.push_back(local_part(part));
  // Each further part is a separator plus at least one letter or digit.
  while (true) {
    const std::size_t before = in.pos();
    if (!in.take_separator() || !in.alnum_at(in.pos())) {
      in.reset(before);
      return;
    }
    v.local.push_back(local_part(in.take_alnum()));
  }
}

}  // namespace

VersionPrefix parse_version_prefix(std::string_view text) {
  VersionPrefix out;
  Scanner in(text);
  if (!in.take('v')) in.take('V');
  std::string first = in.take_number();
  if (first.empty()) return out;
  const std::size_t after_first = in.pos();
  if (in.take('!')) {
    std::string release = in.take_number();
    if (release.empty()) {
      in.reset(after_first);  // "1!" alone: no epoch, the '!' is left over
    } else {
      out.version.epoch = std::move(first);
      first = std::move(release);
    }
  }
  out.has_release = true;
  out.version.release.push_back(std::move(first));
  while (in.at('.') && in.digit_at(in.pos() + 1)) {
    in.take('.');
    out.version.release.push_back(in.take_number());
  }
  parse_pre(in, out.version);
  parse_post(in, out.version);
  parse_dev(in, out.version);
  parse_local(in, out.version);
  out.end = in.pos();
  return out;
}

std::string invalid_version_reason(std::string_view text, const VersionPrefix& prefix) {
  if (text.empty()) return "empty";
  if (std::string_view bad = first_non_ascii(text); !bad.empty()) {
    return fmt::format("non-ASCII character {}", quote(bad));
  }
  if (!prefix.has_release) return "does not start with a release number such as 1.2";
  return fmt::format("unexpected {}", quote(text.substr(prefix.end)));
}

std::optional<Version> parse_version_exact(std::string_view text, std::string& reason) {
  VersionPrefix prefix = parse_version_prefix(text);
  if (prefix.has_release && prefix.end == text.size()) return std::move(prefix.version);
  reason = invalid_version_reason(text, prefix);
  return std::nullopt;
}

}  // namespace detail

Result<Version> parse_version(std::string_view text) {
  std::string reason;
  std::optional<Version> version = detail::parse_version_exact(strip_whitespace(text), reason);
  if (!version)
    return fail_input(fmt::format("invalid PEP 440 version {}: {}", quote(text), reason));
  return std::move(*version);
}

std::string to_string(const Version& v) {
  std::string out;
  if (v.epoch != "0") out += v.epoch + "!";
  for (std::size_t i = 0; i < v.release.size(); ++i) {
    if (i > 0) out += '.';
    out += v.release[i];
  }
  if (v.pre) {
    static constexpr std::array<std::string_view, 3> kNames = {"a", "b", "rc"};
    out += kNames[static_cast<std::size_t>(v.pre->label)];
    out += v.pre->number;
  }
  if (v.post) out += ".post" + *v.post;
  if (v.dev) out += ".dev" + *v.dev;
  for (std::size_t i = 0; i < v.local.size(); ++i) {
    out += i == 0 ? '+' : '.';
    out += v.local[i];
  }
  return out;
}

namespace {

int sign(int value) {
  return (value > 0) - (value < 0);
}

bool is_number(std::string_view text) {
  return std::all_of(text.begin(), text.end(), is_digit);
}

}  // namespace

namespace detail {

// Numbers are digit strings without leading zeros: the longer one is larger.
int compare_numbers(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return sign(a.compare(b));
}

// Comparing with missing components read as 0 is the same as stripping
// trailing zeros first.
int compare_release(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const std::size_t n = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view x = i < a.size() ? std::string_view(a[i]) : "0";
    const std::string_view y = i < b.size() ? std::string_view(b[i]) : "0";
    if (int c = compare_numbers(x, y)) return c;
  }
  return 0;
}

}  // namespace detail

namespace {

using detail::compare_numbers;

// Where the pre-release part puts a version: a dev release with no pre or post
// part (1.0.dev0) sorts before every pre-release, a version with no pre-release
// after them.
int pre_rank(const Version& v) {
  if (v.pre) return 0;
  if (!v.post && v.dev) return -1;
  return 1;
}

int compare_pre(const Version& a, const Version& b) {
  const int ra = pre_rank(a);
  const int rb = pre_rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra != 0) return 0;
  if (a.pre->label != b.pre->label) return a.pre->label < b.pre->label ? -1 : 1;
  return compare_numbers(a.pre->number, b.pre->number);
}

// No post part sorts first; no dev part sorts last.
int compare_optional(const std::optional<std::string>& a, const std::optional<std::string>& b,
                     int missing) {
  if (!a && !b) return 0;
  if (!a) return missing;
  if (!b) return -missing;
  return compare_numbers(*a, *b);
}

// PEP 440 local ordering: no local part sorts first; segment by segment,
// alphanumeric segments sort before numeric ones, numbers numerically,
// strings lexicographically; a shorter list sorts before a longer one it prefixes.
int compare_local(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const bool na = is_number(a[i]);
    const bool nb = is_number(b[i]);
    if (na != nb) return na ? 1 : -1;
    if (int c = na ? compare_numbers(a[i], b[i]) : sign(a[i].compare(b[i]))) return c;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

}  // namespace

int compare_public(const Version& a, const Version& b) {
  if (int c = compare_numbers(a.epoch, b.epoch)) return c;
  if (int c = detail::compare_release(a.release, b.release)) return c;
  if (int c = compare_pre(a, b)) return c;
  if (int c = compare_optional(a.post, b.post, -1)) return c;
  return compare_optional(a.dev, b.dev, 1);
}

int compare(const Version& a, const Version& b) {
  if (int c = compare_public(a, b)) return c;
  return compare_local(a.local, b.local);
}

namespace {

// The policy asks about one range for every release and compares versions
// while sorting: parse each text once (core/parse_memo.hpp).
Result<Version> cached_version(std::string_view text) {
  thread_local ParseMemo<Version> memo(16384);
  return memo.get(text, [](std::string_view t) { return parse_version(t); });
}

Result<SpecifierSet> cached_specifiers(std::string_view text) {
  thread_local ParseMemo<SpecifierSet> memo(1024);
  return memo.get(text, [](std::string_view t) { return parse_specifier_set(t); });
}

class Scheme final : public VersionScheme {
 public:
  std::string_view ecosystem() const override { return "pypi"; }

  Result<std::string> normalize(std::string_view version) const override {
    Result<Version> v = cached_version(version);
    if (!v) return std::unexpected(v.error());
    return to_string(*v);
  }

  Result<int> compare(std::string_view a, std::string_view b) const override {
    Result<Version> va = cached_version(a);
    if (!va) return std::unexpected(va.error());
    Result<Version> vb = cached_version(b);
    if (!vb) return std::unexpected(vb.error());
    return pypi::compare(*va, *vb);
  }

  Result<bool> is_prerelease(std::string_view version) const override {
    Result<Version> v = cached_version(version);
    if (!v) return std::unexpected(v.error());
    return v->is_prerelease();
  }

  Result<void> validate_range(std::string_view range) const override {
    Result<SpecifierSet> set = cached_specifiers(range);
    if (!set) return std::unexpected(set.error());
    return {};
  }

  Result<bool> satisfies(std::string_view range, std::string_view version,
                         Prereleases prereleases) const override {
    Result<SpecifierSet> set = parse_specifier_set(range);
    if (!set) return std::unexpected(set.error());
    return set->contains_text(version, prereleases);
  }
};

}  // namespace

const VersionScheme& version_scheme() {
  static const Scheme scheme;
  return scheme;
}

}  // namespace driftlock::ecosystems::pypi
