// "Did you mean" suggestions for misspelt keys and commands.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace driftlock {

// Levenshtein distance between two ASCII strings.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely typo.
std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string_view> candidates);

// " (did you mean 'x'?)" or "" — ready to append to a message.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace driftlock
