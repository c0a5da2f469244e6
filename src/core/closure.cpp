#include "core/closure.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/json_locator.hpp"
#include "core/text.hpp"

namespace driftlock {
namespace {

constexpr std::size_t kExcerptBytes = 80;
constexpr std::size_t kSkippedBytes = 300;

// nlohmann's reason with control and non-ASCII bytes escaped; its own quotes
// around the token stay.
std::string printable_reason(std::string_view reason) {
  std::string out;
  for (char c : reason) {
    const auto byte = static_cast<unsigned char>(c);
    out += byte < 0x20 || byte >= 0x7f ? fmt::format("\\x{:02x}", byte) : std::string(1, c);
  }
  return out;
}

}  // namespace

std::unexpected<Error> fail_listing_line(std::size_t line, std::string_view message) {
  return fail_input(fmt::format("line {}: {}", line, message));
}

std::string listing_excerpt(std::string_view line) {
  return escape_for_message(trim_whitespace(line), kExcerptBytes);
}

std::string skipped_text(std::string_view line) {
  return escape_for_message(trim_whitespace(line), kSkippedBytes);
}

std::size_t line_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

Result<void> check_listing_depth(std::string_view text) {
  if (auto at = json_too_deep_at(text, kMaxListingDepth)) {
    return fail_listing_line(line_of(text, *at),
                             fmt::format("JSON nested deeper than {} levels", kMaxListingDepth));
  }
  return {};
}

std::unexpected<Error> fail_listing_json(std::string_view text, std::size_t byte,
                                         std::string_view what) {
  // nlohmann's text repeats the position ("parse error at line 1, column 2:");
  // keep the reason.
  std::string_view reason = what;
  if (auto bracket = reason.find("] ");
      reason.starts_with("[json.exception") && bracket != std::string_view::npos) {
    reason.remove_prefix(bracket + 2);
  }
  if (auto colon = reason.find(": ");
      reason.starts_with("parse error") && colon != std::string_view::npos) {
    reason.remove_prefix(colon + 2);
  }
  constexpr std::string_view kSyntax = "syntax error while parsing value - ";
  if (reason.starts_with(kSyntax)) reason.remove_prefix(kSyntax.size());
  return fail_listing_line(line_of(text, byte > 0 ? byte - 1 : 0),
                           "invalid JSON: " + printable_reason(reason));
}

Result<void> ClosureBuilder::add(ClosurePackage package, std::size_t line, std::string key) {
  if (key.empty()) key = package.name;
  auto [it, inserted] = m_entries.try_emplace(std::move(key));
  Entry& entry = it->second;
  if (inserted) {
    entry = Entry{std::move(package), line};
    return {};
  }
  if (entry.package.version != package.version) {
    return fail_listing_line(
        line,
        fmt::format("{} {} conflicts with {} {} at line {}", escape_for_message(package.name),
                    escape_for_message(package.version), escape_for_message(entry.package.name),
                    escape_for_message(entry.package.version), entry.line));
  }
  entry.package.via.insert(entry.package.via.end(), package.via.begin(), package.via.end());
  return {};
}

void ClosureBuilder::skip(std::string_view line) {
  m_skipped.push_back(skipped_text(line));
}

ClosureListing ClosureBuilder::finish() && {
  ClosureListing listing;
  listing.packages.reserve(m_entries.size());
  for (auto& [key, entry] : m_entries) {
    std::vector<std::string>& via = entry.package.via;
    std::sort(via.begin(), via.end());
    via.erase(std::unique(via.begin(), via.end()), via.end());
    listing.packages.push_back(std::move(entry.package));
  }
  std::sort(listing.packages.begin(), listing.packages.end(),
            [](const ClosurePackage& a, const ClosurePackage& b) { return a.name < b.name; });
  listing.skipped = std::move(m_skipped);
  return listing;
}

}  // namespace driftlock
