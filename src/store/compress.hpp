// zlib for cached response bodies: registry documents (JSON, Packages
// indexes) shrink 5-20x, and writing fewer bytes is faster than the
// compression costs (measurements in docs/state.md). Internal to store/.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace driftlock::store {

// The zlib stream of `bytes` at the default level, or nullopt when that
// would not save at least an eighth (small or already-compressed bodies).
std::optional<std::string> deflate_if_smaller(std::string_view bytes);

// Undoes deflate_if_smaller; nullopt unless the stream is intact and
// decodes to exactly `size` bytes.
std::optional<std::string> inflate_exactly(std::string_view stream, std::size_t size);

}  // namespace driftlock::store
