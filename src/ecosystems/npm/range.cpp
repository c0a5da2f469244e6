#include <algorithm>
#include <expected>

#include "ecosystems/npm/desugar.hpp"
#include "ecosystems/npm/syntax.hpp"
#include "ecosystems/npm/text.hpp"
#include "ecosystems/npm/version.hpp"
#include "ecosystems/npm/version_reader.hpp"

namespace driftlock::ecosystems::npm {

namespace {

template <class T>
using Parsed = std::expected<T, VersionProblem>;

std::string_view operator_text(Operator op) {
  switch (op) {
    case Operator::equal:
      return "";
    case Operator::less:
      return "<";
    case Operator::less_equal:
      return "<=";
    case Operator::greater:
      return ">";
    case Operator::greater_equal:
      return ">=";
  }
  return "";
}

Operator operator_from(std::string_view text) {
  if (text == "<") return Operator::less;
  if (text == "<=") return Operator::less_equal;
  if (text == ">") return Operator::greater;
  if (text == ">=") return Operator::greater_equal;
  return Operator::equal;  // "" and "="
}

// node-semver's Comparator#value: what identifies a comparator in a set.
std::string value_of(const Comparator& c) {
  if (!c.version) return "";
  return std::string(operator_text(c.op)) + to_string_without_build(*c.version);
}

bool is_null_set(const Comparator& c) {
  return value_of(c) == "<0.0.0-0";
}
bool is_any(const Comparator& c) {
  return !c.version;
}

// Where the version starts if `piece` is a comparator ("" counts, as any).
std::optional<std::size_t> comparator_version_start(std::string_view piece, Parsing parsing) {
  if (piece.empty()) return 0;
  std::size_t v = syntax::operator_end(piece, 0);
  if (v < piece.size() && piece[v] == ' ') ++v;
  const auto shape = parsing == Parsing::loose ? syntax::Plain::loose : syntax::Plain::full;
  if (!syntax::match_whole(piece, v, shape)) return std::nullopt;
  return v;
}

Parsed<Comparator> parse_comparator(std::string_view piece, Parsing parsing) {
  if (piece.empty()) return Comparator{};
  const auto start = comparator_version_start(piece, parsing);
  if (!start) return std::unexpected(VersionProblem::syntax);
  auto version = read_version(piece.substr(*start), parsing);
  if (!version) return std::unexpected(version.error());
  return Comparator{operator_from(piece.substr(0, syntax::operator_end(piece, 0))),
                    std::move(*version)};
}

Parsed<ComparatorSet> parse_part(std::string_view part, const DesugarOptions& options) {
  const Parsing parsing = options.loose ? Parsing::loose : Parsing::strict;
  std::vector<std::string> pieces = desugar_part(part, options);
  if (options.loose) {
    // Loose mode drops what is no comparator instead of failing.
    std::erase_if(pieces, [&](const std::string& p) {
      return !comparator_version_start(p, parsing).has_value();
    });
  }
  ComparatorSet comparators;
  for (const std::string& piece : pieces) {
    auto comparator = parse_comparator(piece, parsing);
    if (!comparator) return std::unexpected(comparator.error());
    comparators.push_back(std::move(*comparator));
  }
  // A set holding the null set (<0.0.0-0) is just the null set; duplicates go,
  // and so does "any" when something else is there.
  for (const Comparator& c : comparators) {
    if (is_null_set(c)) return ComparatorSet{c};
  }
  ComparatorSet unique;
  std::vector<std::string> values;
  for (const Comparator& c : comparators) {
    std::string value = value_of(c);
    if (std::find(values.begin(), values.end(), value) != values.end()) continue;
    values.push_back(std::move(value));
    unique.push_back(c);
  }
  if (unique.size() > 1) std::erase_if(unique, is_any);
  return unique;
}

std::vector<std::string_view> split_alternatives(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t bar = text.find("||", start);
    parts.push_back(text.substr(start, bar - start));
    if (bar == std::string_view::npos) return parts;
    start = bar + 2;
  }
}

Parsed<std::vector<ComparatorSet>> parse_sets(std::string_view normalized,
                                              const DesugarOptions& options) {
  std::vector<ComparatorSet> sets;
  for (std::string_view part : split_alternatives(normalized)) {
    const std::size_t begin = part.find_first_not_of(' ');
    part = begin == std::string_view::npos
               ? std::string_view{}
               : part.substr(begin, part.find_last_not_of(' ') + 1 - begin);
    auto set = parse_part(part, options);
    if (!set) return std::unexpected(set.error());
    if (!set->empty()) sets.push_back(std::move(*set));  // loose mode can empty a set
  }
  if (sets.empty()) return std::unexpected(VersionProblem::syntax);
  if (sets.size() > 1) {
    // Null sets go unless all are null; a set that is just "any" wins.
    ComparatorSet first = sets.front();
    std::erase_if(sets, [](const ComparatorSet& s) { return is_null_set(s.front()); });
    if (sets.empty()) return std::vector<ComparatorSet>{std::move(first)};
    if (sets.size() > 1) {
      for (const ComparatorSet& s : sets) {
        if (s.size() == 1 && is_any(s.front())) return std::vector<ComparatorSet>{s};
      }
    }
  }
  return sets;
}

std::string range_problem_message(std::string_view text, VersionProblem problem) {
  std::string message = "invalid npm range " + quote(text);
  switch (problem) {
    case VersionProblem::syntax:
      break;
    case VersionProblem::too_long:
      message += ": a version is longer than 256 characters";
      break;
    case VersionProblem::too_large:
      message += ": number too large";
      break;
  }
  return message;
}

bool test(const Comparator& c, const Version& version) {
  if (!c.version) return true;
  const int order = compare(version, *c.version);
  switch (c.op) {
    case Operator::equal:
      return order == 0;
    case Operator::less:
      return order < 0;
    case Operator::less_equal:
      return order <= 0;
    case Operator::greater:
      return order > 0;
    case Operator::greater_equal:
      return order >= 0;
  }
  return false;
}

bool test_set(const ComparatorSet& set, const Version& version, Prereleases prereleases) {
  for (const Comparator& c : set) {
    if (!test(c, version)) return false;
  }
  if (version.prerelease.empty() || prereleases == Prereleases::include) return true;
  // A pre-release passes only if the set names a pre-release of the same
  // major.minor.patch: ^1.2.3-pr.1 admits 1.2.3-pr.2 but not 1.2.4-alpha.
  return std::any_of(set.begin(), set.end(), [&](const Comparator& c) {
    return c.version && !c.version->prerelease.empty() && c.version->major == version.major &&
           c.version->minor == version.minor && c.version->patch == version.patch;
  });
}

}  // namespace

Result<Range> parse_range(std::string_view text, Parsing parsing) {
  const std::string normalized = normalize_whitespace(text);
  const bool loose = parsing == Parsing::loose;
  auto excluding = parse_sets(normalized, DesugarOptions{loose, false});
  if (!excluding) return fail_input(range_problem_message(text, excluding.error()));
  auto including = parse_sets(normalized, DesugarOptions{loose, true});
  Range range;
  range.excluding = std::move(*excluding);
  if (including) range.including = std::move(*including);
  return range;
}

bool satisfies(const Range& range, const Version& version, Prereleases prereleases) {
  const auto& sets = range.sets(prereleases);
  return std::any_of(sets.begin(), sets.end(),
                     [&](const ComparatorSet& set) { return test_set(set, version, prereleases); });
}

std::string to_string(const Range& range, Prereleases prereleases) {
  std::string out;
  const auto& sets = range.sets(prereleases);
  for (std::size_t i = 0; i < sets.size(); ++i) {
    if (i > 0) out += "||";
    for (std::size_t k = 0; k < sets[i].size(); ++k) {
      if (k > 0) out += ' ';
      out += value_of(sets[i][k]);
    }
  }
  return out;
}

}  // namespace driftlock::ecosystems::npm
