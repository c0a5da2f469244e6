#include "ecosystems/debian/closure.hpp"

#include <fmt/format.h>

#include "core/text.hpp"
#include "ecosystems/debian/name.hpp"
#include "ecosystems/debian/version.hpp"

namespace driftlock::ecosystems::debian {
namespace {

bool is_architecture(std::string_view arch) {
  if (arch.empty()) return false;
  for (char c : arch) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

}  // namespace

Result<ClosureListing> parse_closure(std::string_view listing) {
  ClosureBuilder builder;
  std::size_t number = 0;
  while (!listing.empty()) {
    ++number;
    const std::size_t newline = listing.find('\n');
    std::string_view line = listing.substr(0, newline);
    listing = newline == std::string_view::npos ? std::string_view() : listing.substr(newline + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (trim_whitespace(line).empty()) continue;
    const std::size_t tab = line.find('\t');
    std::string_view name = line.substr(0, tab);
    const std::string_view version =
        tab == std::string_view::npos ? std::string_view() : line.substr(tab + 1);
    const std::size_t colon = name.find(':');
    if (tab == std::string_view::npos || version.find('\t') != std::string_view::npos ||
        (colon != std::string_view::npos && !is_architecture(name.substr(colon + 1)))) {
      return fail_listing_line(
          number, fmt::format("expected 'name<TAB>version', not '{}'", listing_excerpt(line)));
    }
    name = name.substr(0, colon);
    if (auto ok = validate_name(name); !ok) return fail_listing_line(number, ok.error().message);
    if (version.empty()) continue;  // not installed, configuration files kept
    if (auto ok = version_scheme().normalize(version); !ok) {
      return fail_listing_line(number, fmt::format("{}: {}", name, ok.error().message));
    }
    if (auto ok = builder.add({std::string(name), std::string(version), {}}, number); !ok) {
      return std::unexpected(ok.error());
    }
  }
  return std::move(builder).finish();
}

}  // namespace driftlock::ecosystems::debian
