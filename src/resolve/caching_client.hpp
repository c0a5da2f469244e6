// An HttpClient decorator that makes registry requests conditional: a GET
// whose answer was stored before is sent with If-None-Match /
// If-Modified-Since, and a 304 is answered from the store (store::HttpCache),
// so an unchanged document costs a round trip but no body.
//
// Entries are keyed by URL and Accept header (npm serves two documents at one
// URL). The cache is an optimisation: when it cannot be read or written the
// request goes through as if uncached, and the failure only counts in stats().
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "net/http_client.hpp"
#include "store/database.hpp"
#include "store/http_cache.hpp"

namespace driftlock::resolve {

struct CacheStats {
  std::size_t requests = 0;      // sent to the inner client
  std::size_t conditional = 0;   // sent with validators
  std::size_t not_modified = 0;  // answered 304 and served from the store
  std::size_t stored = 0;        // 200s written to the store
  std::size_t store_failures = 0;
  std::size_t body_bytes = 0;  // bytes of bodies received from the network
};

// The header a Response served from the store carries, for logs and tests.
inline constexpr std::string_view kCacheHeader = "x-driftlock-cache";

class CachingHttpClient final : public net::HttpClient {
 public:
  CachingHttpClient(net::HttpClient& inner, store::Database& database, const Clock& clock);

  std::vector<Result<net::Response>> perform(std::span<const net::Request> requests) override;

  const CacheStats& stats() const { return m_stats; }

 private:
  net::HttpClient& m_inner;
  store::Database& m_database;
  store::HttpCache m_cache;
  const Clock& m_clock;
  CacheStats m_stats;
};

// The store key of a request: its URL without user info, and its Accept
// header after a space (a space never occurs in a URL) when it has one.
std::string cache_key(const net::Request& request);

}  // namespace driftlock::resolve
