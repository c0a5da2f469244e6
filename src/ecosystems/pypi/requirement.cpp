#include "ecosystems/pypi/requirement.hpp"

#include <re2/re2.h>

#include <algorithm>

#include "core/text.hpp"

namespace driftlock::ecosystems::pypi {
namespace {

std::string_view view(re2::StringPiece piece) {
  return {piece.data(), piece.size()};
}

}  // namespace

std::optional<ParsedRequirement> parse_requirement(std::string_view text) {
  // name, [extras], what follows up to ';' (specifiers or "@ url"), marker.
  static const RE2 shape(
      R"(^[ \t]*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)[ \t]*(\[[^\]]*\])?[ \t]*([^;]*?)[ \t]*(?:;[ \t]*(.*?))?[ \t]*$)");
  re2::StringPiece name, extras, rest, marker;
  if (!RE2::FullMatch(re2::StringPiece(text.data(), text.size()), shape, &name, &extras, &rest,
                      &marker)) {
    return std::nullopt;
  }
  ParsedRequirement out;
  out.name = std::string(view(name));
  out.extras = std::string(view(extras));
  out.marker = std::string(view(marker));
  std::string_view specifier = view(rest);
  if (specifier.starts_with('@')) {
    out.direct_url = true;
    return out;
  }
  // The older form puts the specifiers in parentheses: "requests (>=2.0)".
  if (specifier.starts_with('(')) {
    if (!specifier.ends_with(')')) return std::nullopt;
    specifier = trim_whitespace(specifier.substr(1, specifier.size() - 2));
  }
  for (char c : specifier) {
    if (c != ' ' && c != '\t') out.specifier += c;
  }
  if (std::any_of(out.specifier.begin(), out.specifier.end(),
                  [](char c) { return c == '(' || c == ')'; })) {
    return std::nullopt;
  }
  return out;
}

std::optional<Requirement> unconditional_requirement(std::string_view text) {
  auto parsed = parse_requirement(text);
  if (!parsed || parsed->direct_url || !parsed->marker.empty()) return std::nullopt;
  return Requirement{std::move(parsed->name), std::move(parsed->specifier)};
}

}  // namespace driftlock::ecosystems::pypi
