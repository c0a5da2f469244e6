// Conditional-request cache for registry documents: the datasource layer
// sends the stored validators (If-None-Match / If-Modified-Since) and reuses
// the stored body when the server answers 304 Not Modified.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/time.hpp"
#include "store/database.hpp"

namespace driftlock::store {

struct CachedResponse {
  std::string url;
  std::optional<std::string> etag;           // the ETag header as sent, quotes included
  std::optional<std::string> last_modified;  // the Last-Modified header as sent
  std::optional<std::string> content_type;
  std::string body;  // decoded bytes, as the HTTP client returned them
  Timestamp fetched_at{};

  friend bool operator==(const CachedResponse&, const CachedResponse&) = default;
};

class HttpCache {
 public:
  explicit HttpCache(Database& database) : m_database(&database) {}

  // nullopt when the URL was never stored, or its stored body no longer
  // decodes (the cache is an optimisation: a damaged row is a miss).
  Result<std::optional<CachedResponse>> get(std::string_view url);

  // Inserts or replaces the entry for entry.url; bodies are stored zlib-
  // compressed when that saves space.
  Result<void> put(const CachedResponse& entry);

  // After a 304: the stored body is current. Records the new fetch time and
  // any validators the 304 carried (nullopt keeps the stored one), without
  // rewriting the body. Returns false when nothing is stored for the URL.
  Result<bool> refresh(std::string_view url, Timestamp fetched_at,
                       const std::optional<std::string>& etag = std::nullopt,
                       const std::optional<std::string>& last_modified = std::nullopt);

  // Returns whether an entry was removed.
  Result<bool> erase(std::string_view url);

  // Drops entries fetched before `cutoff`; returns how many.
  Result<std::size_t> prune(Timestamp cutoff);
  // How many prune(cutoff) would drop.
  Result<std::size_t> count_before(Timestamp cutoff);

 private:
  Database* m_database;
};

}  // namespace driftlock::store
