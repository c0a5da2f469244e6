#include "resolve/caching_client.hpp"

#include <cctype>
#include <chrono>
#include <optional>

#include "net/retry.hpp"
#include "net/url.hpp"

namespace driftlock::resolve {
namespace {

std::optional<std::string> header_of(const net::Request& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < key.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(key[i])) ==
             std::tolower(static_cast<unsigned char>(name[i]));
    }
    if (same) return value;
  }
  return std::nullopt;
}

// Only plain GETs the caller did not make conditional itself are cached; not
// what carries credentials or asks not to be stored (a token's answer).
bool cacheable(const net::Request& request) {
  if (request.method != net::Request::Method::get || request.etag || request.last_modified ||
      header_of(request, "authorization")) {
    return false;
  }
  auto control = header_of(request, "cache-control");
  return !control || control->find("no-store") == std::string::npos;
}

// Whether the response may be kept for conditional requests. Not when the
// server says no-store, and not on a Last-Modified alone that is within a
// second of when it was served (RFC 9110 8.8.2.2: such a date is a weak
// validator): a file rewritten in the same second keeps its Last-Modified,
// and the server would then answer 304 for content it has changed.
bool storable(const net::Response& response) {
  if (auto control = response.header("cache-control")) {
    if (control->find("no-store") != std::string::npos) return false;
  }
  if (response.header("etag")) return true;
  auto last_modified = response.header("last-modified");
  if (!last_modified) return false;
  auto modified = net::parse_http_date(*last_modified);
  auto date_header = response.header("date");
  auto served = date_header ? net::parse_http_date(*date_header) : std::nullopt;
  return modified && served && *served - *modified >= std::chrono::seconds(1);
}

}  // namespace

std::string cache_key(const net::Request& request) {
  // User info is a credential: the state database never holds it.
  std::string url = net::without_userinfo(request.url);
  std::optional<std::string> accept = header_of(request, "accept");
  if (!accept || accept->empty()) return url;
  return url + " " + *accept;
}

CachingHttpClient::CachingHttpClient(net::HttpClient& inner, store::Database& database,
                                     const Clock& clock)
    : m_inner(inner), m_database(database), m_cache(database), m_clock(clock) {}

std::vector<Result<net::Response>> CachingHttpClient::perform(
    std::span<const net::Request> requests) {
  std::vector<net::Request> sent(requests.begin(), requests.end());
  std::vector<std::optional<store::CachedResponse>> cached(requests.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    if (!cacheable(sent[i])) continue;
    auto entry = m_cache.get(cache_key(sent[i]));
    if (!entry) {
      ++m_stats.store_failures;
      continue;
    }
    if (!*entry || (!(*entry)->etag && !(*entry)->last_modified)) continue;
    cached[i] = std::move(**entry);
    sent[i].etag = cached[i]->etag;
    sent[i].last_modified = cached[i]->last_modified;
    ++m_stats.conditional;
  }

  m_stats.requests += sent.size();
  std::vector<Result<net::Response>> results = m_inner.perform(sent);

  // One transaction for the batch's writes: a thousand documents must not
  // mean a thousand commits.
  auto transaction = store::Transaction::begin(m_database);
  if (!transaction) ++m_stats.store_failures;
  const Timestamp now = m_clock.now();
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!results[i]) continue;
    net::Response& response = *results[i];
    m_stats.body_bytes += response.body.size();
    if (response.not_modified() && cached[i]) {
      if (transaction) {
        auto refreshed = m_cache.refresh(cached[i]->url, now, response.header("etag"),
                                         response.header("last-modified"));
        if (!refreshed) ++m_stats.store_failures;
      }
      ++m_stats.not_modified;
      response.status = 200;
      response.body = std::move(cached[i]->body);
      if (cached[i]->content_type) {
        response.headers.emplace_back("content-type", *cached[i]->content_type);
      }
      response.headers.emplace_back(std::string(kCacheHeader), "revalidated");
      continue;
    }
    if (!transaction) continue;
    if (response.status != 200 || !cacheable(requests[i]) || !storable(response)) continue;
    store::CachedResponse entry;
    entry.url = cache_key(requests[i]);
    entry.etag = response.header("etag");
    entry.last_modified = response.header("last-modified");
    entry.content_type = response.header("content-type");
    entry.body = response.body;
    entry.fetched_at = now;
    if (auto put = m_cache.put(entry); put) {
      ++m_stats.stored;
    } else {
      ++m_stats.store_failures;
    }
  }
  if (transaction) {
    if (auto committed = transaction->commit(); !committed) ++m_stats.store_failures;
  }
  return results;
}

}  // namespace driftlock::resolve
