// PEP 440 version specifiers with the semantics of pypa/packaging's
// Specifier/SpecifierSet (its range-based matching): each clause is a range on
// the version line, a set is their intersection.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "ecosystems/pypi/text.hpp"
#include "ecosystems/pypi/version.hpp"
#include "ecosystems/pypi/version_parser.hpp"

namespace driftlock::ecosystems::pypi {

std::string_view to_string(Operator op) {
  switch (op) {
    case Operator::compatible:
      return "~=";
    case Operator::equal:
      return "==";
    case Operator::not_equal:
      return "!=";
    case Operator::less_equal:
      return "<=";
    case Operator::greater_equal:
      return ">=";
    case Operator::less:
      return "<";
    case Operator::greater:
      return ">";
    case Operator::arbitrary:
      return "===";
  }
  return "?";
}

namespace {

constexpr std::string_view kOperatorList = "==, !=, <=, >=, <, >, ~= or ===";

// Longest spellings first, so "===" is not read as "==" and "<=" not as "<".
struct OperatorSpelling {
  std::string_view text;
  Operator op;
};
constexpr std::array<OperatorSpelling, 8> kOperators = {{
    {"===", Operator::arbitrary},
    {"~=", Operator::compatible},
    {"==", Operator::equal},
    {"!=", Operator::not_equal},
    {"<=", Operator::less_equal},
    {">=", Operator::greater_equal},
    {"<", Operator::less},
    {">", Operator::greater},
}};

// The number one larger, as digits.
std::string increment(std::string number) {
  std::size_t i = number.size();
  while (i > 0) {
    --i;
    if (number[i] != '9') {
      ++number[i];
      return number;
    }
    number[i] = '0';
  }
  return "1" + number;
}

// E!r1...rn.dev0: the smallest version whose release starts with `release`.
Version release_dev0(const std::string& epoch, std::vector<std::string> release) {
  Version v;
  v.epoch = epoch;
  v.release = std::move(release);
  v.dev = "0";
  return v;
}

// The first release after every version starting with `release`: 1.2 -> 1.3.dev0.
Version next_prefix_dev0(const std::string& epoch, std::vector<std::string> release) {
  release.back() = increment(std::move(release.back()));
  return release_dev0(epoch, std::move(release));
}

// v is V itself, V+local or a post-release of V (V having no post or dev part):
// the versions ">V" skips although they sort after V.
bool in_post_family(const Version& v, const Version& spec) {
  if (v.dev && !v.post) return false;
  if (detail::compare_numbers(v.epoch, spec.epoch) != 0) return false;
  if (detail::compare_release(v.release, spec.release) != 0) return false;
  if (v.pre.has_value() != spec.pre.has_value()) return false;
  return !v.pre || (v.pre->label == spec.pre->label &&
                    detail::compare_numbers(v.pre->number, spec.pre->number) == 0);
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string specifier_error(std::string_view item, std::string_view whole,
                            std::string_view reason) {
  if (item == whole) {
    return fmt::format("invalid PEP 440 specifier {}: {}", quote(item), reason);
  }
  return fmt::format("invalid PEP 440 specifier {} in {}: {}", quote(item), quote(whole), reason);
}

// Why `item` has no operator we know.
std::string missing_operator_reason(std::string_view item) {
  if (item == "*") return "'*' (any version) must be the whole range";
  const std::size_t run = std::min(item.find_first_not_of("=<>!~^"), item.size());
  if (run > 0) {
    std::string reason =
        fmt::format("unknown operator {} (use {})", quote(item.substr(0, run)), kOperatorList);
    return reason;
  }
  std::string ignored;
  if (detail::parse_version_exact(item, ignored)) {
    return fmt::format("missing operator (did you mean {}?)", quote(fmt::format("=={}", item)));
  }
  return fmt::format("expected an operator ({}) and a version", kOperatorList);
}

}  // namespace

namespace detail {

Result<Specifier> parse_clause(std::string_view raw_item, std::string_view whole) {
  const std::string_view item = strip_whitespace(raw_item);
  auto error = [&](std::string_view reason) {
    return fail_input(specifier_error(item, whole, reason));
  };

  Specifier spec;
  std::string_view op_text;
  for (const OperatorSpelling& candidate : kOperators) {
    if (starts_with(item, candidate.text)) {
      spec.m_op = candidate.op;
      op_text = candidate.text;
      break;
    }
  }
  if (op_text.empty()) return error(missing_operator_reason(item));

  const std::string_view text = strip_whitespace(item.substr(op_text.size()));
  spec.m_text = std::string(text);

  if (spec.m_op == Operator::arbitrary) {
    // Anything but whitespace, ';' and ')', compared as a string.
    if (contains_whitespace(text) || text.find_first_of(";)") != std::string_view::npos) {
      return error("=== takes one word without spaces, ';' or ')'");
    }
    spec.m_text_lower = ascii_lowercase(text);
    std::string ignored;
    if (std::optional<Version> v = parse_version_exact(text, ignored)) {
      spec.m_names_prerelease = v->is_prerelease();
      spec.m_version = std::move(*v);
    }
    return spec;
  }

  if (text.empty()) return error(fmt::format("missing version after '{}'", op_text));

  const bool equality = spec.m_op == Operator::equal || spec.m_op == Operator::not_equal;
  std::string_view version_text = text;
  if (text.find('*') != std::string_view::npos) {
    if (!equality) return error("wildcards are only allowed with == and != (as in ==1.2.*)");
    const bool trailing = text.size() >= 2 && text.substr(text.size() - 2) == ".*";
    if (!trailing || text.find('*') != text.size() - 1) {
      return error("a wildcard must be a trailing '.*' (as in ==1.2.*)");
    }
    spec.m_wildcard = true;
    version_text = text.substr(0, text.size() - 2);
    spec.m_text = std::string(version_text);
  }

  std::string reason;
  std::optional<Version> parsed = parse_version_exact(version_text, reason);
  if (!parsed) {
    return error(fmt::format("invalid version {} ({})", quote(version_text), reason));
  }
  Version& v = *parsed;

  if (spec.m_wildcard && (v.pre || v.post || v.dev || !v.local.empty())) {
    return error("'.*' can only follow a release number such as 1.2");
  }
  if (!v.local.empty() && !equality) {
    const std::size_t plus = version_text.find('+');
    return error(fmt::format("a local version ({}) is only allowed with == and !=",
                             quote(version_text.substr(plus))));
  }
  if (spec.m_op == Operator::compatible && v.release.size() < 2) {
    return error("~= needs at least two release segments");
  }

  // Pre-compute the range ends so matching never allocates.
  switch (spec.m_op) {
    case Operator::equal:
    case Operator::not_equal:
      if (spec.m_wildcard) {
        spec.m_lower = release_dev0(v.epoch, v.release);
        spec.m_upper = next_prefix_dev0(v.epoch, v.release);
      }
      break;
    case Operator::compatible: {
      // ~=1.4.5 is >=1.4.5 up to (not including) 1.5.dev0.
      std::vector<std::string> prefix(v.release.begin(), v.release.end() - 1);
      spec.m_upper = next_prefix_dev0(v.epoch, std::move(prefix));
      break;
    }
    case Operator::less: {
      // <V leaves out V's own pre-releases unless V is one: the bound is V.dev0.
      spec.m_upper = v;
      if (!v.is_prerelease()) spec.m_upper.dev = "0";
      spec.m_never = compare(spec.m_upper, release_dev0("0", {"0"})) <= 0;
      break;
    }
    case Operator::greater:
      // Dev releases have no post-releases: the next version is V.dev(N+1).
      // After a post-release the next is V.post(N+1).dev0.
      if (v.dev) {
        spec.m_lower = v;
        spec.m_lower.dev = increment(*v.dev);
      } else if (v.post) {
        spec.m_lower = v;
        spec.m_lower.post = increment(*v.post);
        spec.m_lower.dev = "0";
      }
      break;
    default:
      break;
  }

  // As packaging's Specifier.prereleases: != and wildcards never opt in.
  spec.m_names_prerelease =
      !spec.m_wildcard && spec.m_op != Operator::not_equal && v.is_prerelease();
  spec.m_version = std::move(v);
  return spec;
}

}  // namespace detail

bool Specifier::matches(const Version& v, std::string_view text) const {
  switch (m_op) {
    case Operator::arbitrary:
      return ascii_lowercase(text.empty() ? to_string(v) : text) == m_text_lower;
    case Operator::equal:
    case Operator::not_equal: {
      bool equal = false;
      if (m_wildcard) {
        equal = compare(v, m_lower) >= 0 && compare(v, m_upper) < 0;
      } else if (!m_version.local.empty()) {
        equal = compare(v, m_version) == 0;
      } else {
        equal = compare_public(v, m_version) == 0;  // ==1.0 matches 1.0+local
      }
      return (m_op == Operator::equal) == equal;
    }
    case Operator::compatible:
      return compare(v, m_version) >= 0 && compare(v, m_upper) < 0;
    case Operator::greater_equal:
      return compare(v, m_version) >= 0;
    case Operator::less_equal:
      return compare_public(v, m_version) <= 0;  // <=1.0 matches 1.0+local
    case Operator::less:
      return !m_never && compare(v, m_upper) < 0;
    case Operator::greater:
      if (m_version.dev || m_version.post) return compare(v, m_lower) >= 0;
      return compare(v, m_version) > 0 && !in_post_family(v, m_version);
  }
  return false;
}

bool SpecifierSet::contains(const Version& version, Prereleases prereleases) const {
  if (prereleases == Prereleases::exclude && !m_names_prerelease && version.is_prerelease()) {
    return false;
  }
  return std::all_of(m_specifiers.begin(), m_specifiers.end(),
                     [&](const Specifier& spec) { return spec.matches(version); });
}

Result<bool> SpecifierSet::contains_text(std::string_view text, Prereleases prereleases) const {
  Result<Version> version = parse_version(text);
  if (!version) {
    if (!m_has_arbitrary) return std::unexpected(version.error());
    // Only === can match a non-PEP 440 string; such a string is never a pre-release.
    const std::string lower = ascii_lowercase(text);
    return std::all_of(m_specifiers.begin(), m_specifiers.end(), [&](const Specifier& spec) {
      return spec.op() == Operator::arbitrary && ascii_lowercase(spec.version_text()) == lower;
    });
  }
  if (prereleases == Prereleases::exclude && !m_names_prerelease && version->is_prerelease()) {
    return false;
  }
  return std::all_of(m_specifiers.begin(), m_specifiers.end(),
                     [&](const Specifier& spec) { return spec.matches(*version, text); });
}

Result<Specifier> parse_specifier(std::string_view item) {
  return detail::parse_clause(item, strip_whitespace(item));
}

Result<SpecifierSet> parse_specifier_set(std::string_view text) {
  SpecifierSet set;
  const std::string_view whole = strip_whitespace(text);
  if (whole == "*") return set;
  std::size_t begin = 0;
  while (begin <= whole.size()) {
    const std::size_t comma = std::min(whole.find(',', begin), whole.size());
    const std::string_view item = strip_whitespace(whole.substr(begin, comma - begin));
    begin = comma + 1;
    if (item.empty()) continue;  // packaging skips empty clauses: ">=1.0," is ">=1.0"
    Result<Specifier> spec = detail::parse_clause(item, whole);
    if (!spec) return std::unexpected(spec.error());
    set.m_names_prerelease = set.m_names_prerelease || spec->names_prerelease();
    set.m_has_arbitrary = set.m_has_arbitrary || spec->op() == Operator::arbitrary;
    set.m_specifiers.push_back(std::move(*spec));
  }
  return set;
}

}  // namespace driftlock::ecosystems::pypi
