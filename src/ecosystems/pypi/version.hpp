// The pypi version scheme: PEP 440 versions and version specifiers, matching
// the reference implementation (pypa/packaging's Version and SpecifierSet).
// Pure: parsing and ordering only, no I/O.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/version_scheme.hpp"

namespace driftlock::ecosystems::pypi {

// The scheme as core sees it (ecosystem "pypi").
const VersionScheme& version_scheme();

// ---- Versions ---------------------------------------------------------------

// Pre-release labels in their sort order; alpha/beta/c/pre/preview are spellings of these.
enum class PreLabel { a, b, rc };

struct PreRelease {
  PreLabel label = PreLabel::a;
  std::string number = "0";
};

// A parsed PEP 440 version. Every number is kept as its decimal digits without
// leading zeros ("0" for zero): PEP 440 puts no bound on their size.
struct Version {
  std::string epoch = "0";
  std::vector<std::string> release;  // at least one component, trailing zeros kept
  std::optional<PreRelease> pre;
  std::optional<std::string> post;
  std::optional<std::string> dev;
  // Lower-cased local segments; numeric ones without leading zeros. Empty: no local part.
  std::vector<std::string> local;

  // As packaging's Version.is_prerelease: a pre-release or a dev release.
  bool is_prerelease() const { return pre.has_value() || dev.has_value(); }
  bool is_postrelease() const { return post.has_value(); }
};

// Parses a version, ignoring surrounding whitespace (as Python's str.strip()).
Result<Version> parse_version(std::string_view text);

// The canonical spelling, as str(packaging.version.Version(text)).
std::string to_string(const Version& version);

// -1, 0 or 1 as a orders before, equal to or after b (PEP 440 ordering, local part included).
int compare(const Version& a, const Version& b);

// compare() ignoring both local parts: 1.0+ubuntu.1 equals 1.0 here.
int compare_public(const Version& a, const Version& b);

// ---- Specifiers -------------------------------------------------------------

enum class Operator {
  compatible,     // ~=
  equal,          // ==  (with .* : prefix match)
  not_equal,      // !=  (with .* : prefix exclusion)
  less_equal,     // <=
  greater_equal,  // >=
  less,           // <
  greater,        // >
  arbitrary,      // === (case-insensitive string equality)
};

std::string_view to_string(Operator op);

// One clause such as ">=1.0" or "==2.*".
class Specifier;
namespace detail {
// parse_specifier() for one clause of the range `whole` (named in error messages).
Result<Specifier> parse_clause(std::string_view item, std::string_view whole);
}  // namespace detail

class Specifier {
 public:
  Operator op() const { return m_op; }
  // The version as written after the operator (for wildcards, without ".*").
  const std::string& version_text() const { return m_text; }
  // The parsed version; a default Version for === with a non-PEP 440 string.
  const Version& version() const { return m_version; }
  bool is_wildcard() const { return m_wildcard; }
  // Whether this clause lets pre-releases in under Prereleases::exclude
  // (packaging's Specifier.prereleases: the version named is a pre-release;
  // never for != or a wildcard).
  bool names_prerelease() const { return m_names_prerelease; }

  // Whether `version` lies in the clause's range, ignoring the pre-release
  // policy. `text` is the version as given, for ===; when empty, to_string(version) is used.
  bool matches(const Version& version, std::string_view text = {}) const;

 private:
  friend Result<Specifier> detail::parse_clause(std::string_view, std::string_view);
  Operator m_op = Operator::equal;
  std::string m_text;
  std::string m_text_lower;  // for ===
  Version m_version;
  bool m_wildcard = false;
  bool m_names_prerelease = false;
  // Precomputed range ends (see specifier.cpp): wildcard and ~= bounds, the
  // exclusive bound of < and the inclusive bound of > after a post or dev release.
  Version m_lower;
  Version m_upper;
  bool m_never = false;  // "<0.dev0" and the like: nothing matches
};

// A comma-separated set of specifiers; every clause must match. Empty (from
// "", "*" or whitespace) matches every version.
class SpecifierSet {
 public:
  std::span<const Specifier> specifiers() const { return m_specifiers; }
  bool empty() const { return m_specifiers.empty(); }
  // Some clause names a pre-release, so Prereleases::exclude lets pre-releases in.
  bool names_prerelease() const { return m_names_prerelease; }

  bool contains(const Version& version, Prereleases prereleases) const;

  // contains() for a version string. An invalid version is an input error,
  // except that === clauses compare raw strings: a set made only of ===
  // clauses can match a non-PEP 440 string (as packaging does).
  Result<bool> contains_text(std::string_view version, Prereleases prereleases) const;

 private:
  friend Result<SpecifierSet> parse_specifier_set(std::string_view text);
  std::vector<Specifier> m_specifiers;
  bool m_names_prerelease = false;
  bool m_has_arbitrary = false;
};

// One clause, surrounding whitespace ignored.
Result<Specifier> parse_specifier(std::string_view item);

// A whole range: clauses separated by commas (empty clauses are skipped, as
// packaging does), or "*" / "" for any version.
Result<SpecifierSet> parse_specifier_set(std::string_view text);

}  // namespace driftlock::ecosystems::pypi
