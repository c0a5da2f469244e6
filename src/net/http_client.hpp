// The HTTP seam: datasources describe the documents they need as Requests and
// get one Result per Request back. CurlHttpClient talks to real servers;
// FakeHttpClient answers from a table in unit tests.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace driftlock::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  enum class Method { get, head, post, patch, put };

  std::string url;
  Headers headers;  // sent as given, e.g. {"Accept", "application/json"}
  Method method = Method::get;
  std::string body;  // sent with post, patch and put (set Content-Type in `headers`)
  // Conditional request: sent as If-None-Match / If-Modified-Since, so an
  // unchanged document comes back as 304 with an empty body.
  std::optional<std::string> etag;
  std::optional<std::string> last_modified;
};

struct Response {
  long status = 0;
  Headers headers;            // names lower-cased, values trimmed, in arrival order
  std::string body;           // decoded (gzip, br, zstd are undone)
  std::string effective_url;  // after redirects
  int attempts = 1;           // 1 + the number of retries it took

  bool not_modified() const { return status == 304; }
  bool ok() const { return status >= 200 && status < 300; }
  // The first value of the header `name` (any case).
  std::optional<std::string> header(std::string_view name) const;
};

// A snapshot of a perform() call, for a progress line on a terminal.
struct Progress {
  std::size_t total = 0;
  std::size_t done = 0;  // finished, successfully or not
  std::size_t in_flight = 0;
  std::size_t failures = 0;  // finished with an Error
  std::size_t retries = 0;   // retries scheduled so far
};

// Why a request is tried again and when; for logs. Never carries headers.
struct RetryNotice {
  std::string url;     // credentials in the URL are masked
  int attempt = 0;     // the attempt that failed, 1-based
  std::string reason;  // "HTTP 503", "couldn't connect to server", ...
  std::chrono::milliseconds delay{0};
};

std::string default_user_agent();

struct HttpOptions {
  int max_in_flight = 16;
  std::size_t max_body_bytes = std::size_t{64} << 20;  // decoded size
  std::chrono::milliseconds timeout{30000};            // per attempt, whole transfer
  std::chrono::milliseconds connect_timeout{10000};
  int max_retries = 4;
  std::chrono::milliseconds backoff_base{250};
  std::chrono::milliseconds max_backoff{30000};  // also caps Retry-After
  int max_redirects = 5;
  // Retried whatever their headers say; a rate limit's 403 or 429 is retried
  // too when it says how long to wait (net/retry.hpp: advise_retry).
  std::vector<long> retry_statuses = {429, 502, 503, 504};
  std::string user_agent = default_user_agent();
  // Seeds the back-off jitter; 0 picks a random seed.
  std::uint64_t jitter_seed = 0;
  // Called on the thread running perform(); they must not throw.
  std::function<void(const Progress&)> on_progress;
  std::function<void(const RetryNotice&)> on_retry;
  // When set, a retry's wait is spent in this call (blocking perform()'s other
  // transfers) instead of in the event loop: tests record the waits and do
  // not sleep.
  std::function<void(std::chrono::milliseconds)> sleep;
};

// "GET", "POST", ...: for messages.
std::string_view method_name(Request::Method method);

class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // Performs all requests concurrently; result i belongs to request i.
  // HTTP statuses are returned as Responses, not errors; a status that is
  // retried and still fails after the last retry returns the last Response.
  // A transport failure that survives the retries (DNS, refused connection,
  // timeout, size cap, redirect loop, TLS) is an infrastructure Error naming
  // the URL and the reason.
  virtual std::vector<Result<Response>> perform(std::span<const Request> requests) = 0;

  // One request; a convenience over perform().
  Result<Response> fetch(const Request& request);
};

}  // namespace driftlock::net
