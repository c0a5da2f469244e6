// When to try a request again and how long to wait first: pure, so the
// policy is tested without a network.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <span>
#include <string_view>

#include "core/time.hpp"
#include "net/http_client.hpp"

namespace driftlock::net {

bool is_retry_status(long status, std::span<const long> retry_statuses);

// A Retry-After value as a delay from `now`: delta-seconds ("120") or an
// HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT"); a date in the past is zero.
// nullopt when the value is neither.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, Timestamp now);

// Whether a response is worth another attempt, and the wait its server asked for.
struct RetryAdvice {
  enum class Verdict { final, retry };
  Verdict verdict = Verdict::final;
  std::optional<std::chrono::milliseconds> server_wait;  // nullopt: back off
};

// A status in `retry_statuses` is retried, after its Retry-After when it has
// one. A rate limit is retried after the wait it names, whatever its status:
// Retry-After on a 403 (GitHub's secondary rate limit) or 429, or
// `x-ratelimit-remaining: 0` with `x-ratelimit-reset` (epoch seconds, measured
// against `now`) on a 403 or 429. Anything else is final.
RetryAdvice advise_retry(const Response& response, std::span<const long> retry_statuses,
                         Timestamp now);

// An HTTP-date in any of the three forms of RFC 9110 (libcurl's curl_getdate);
// format_http_date writes the preferred IMF-fixdate, e.g. for If-Modified-Since.
std::optional<Timestamp> parse_http_date(std::string_view text);
std::string format_http_date(Timestamp t);

// Exponential back-off with "equal jitter": retry n waits a random time in
// [d/2, d] where d = min(base * 2^(n-1), max). Spreading the waits keeps many
// clients rate-limited by one registry from coming back in lock-step.
class Backoff {
 public:
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds max, std::uint64_t seed);

  // The wait before retry `retry` (1 for the first retry).
  std::chrono::milliseconds delay(int retry);

  // The server's Retry-After wins over the computed delay, capped at max.
  std::chrono::milliseconds delay(int retry, std::optional<std::chrono::milliseconds> retry_after);

 private:
  std::chrono::milliseconds m_base;
  std::chrono::milliseconds m_max;
  std::mt19937_64 m_random;
};

}  // namespace driftlock::net
