#include <catch2/catch.hpp>

#include "net/retry.hpp"

#include <array>
#include <string>
#include <vector>

using namespace driftlock;
using namespace driftlock::net;
using std::chrono::milliseconds;

namespace {

Timestamp at(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  return std::chrono::sys_days(std::chrono::year(y) / m / d) + std::chrono::hours(hh) +
         std::chrono::minutes(mm) + std::chrono::seconds(ss);
}

}  // namespace

TEST_CASE("retry statuses come from the options", "[net][retry]") {
  constexpr std::array<long, 4> statuses = {429, 502, 503, 504};
  CHECK(is_retry_status(429, statuses));
  CHECK(is_retry_status(503, statuses));
  CHECK(!is_retry_status(500, statuses));
  CHECK(!is_retry_status(404, statuses));
}

TEST_CASE("Retry-After is seconds or an HTTP-date", "[net][retry]") {
  const Timestamp now = at(2015, 10, 21, 7, 28, 0);
  struct Case {
    std::string value;
    std::optional<milliseconds> delay;
  };
  const std::vector<Case> cases = {
      {"0", milliseconds(0)},
      {"120", milliseconds(120000)},
      {" 5 ", milliseconds(5000)},
      {"Wed, 21 Oct 2015 07:28:30 GMT", milliseconds(30000)},
      {"Wed, 21 Oct 2015 08:28:00 GMT", milliseconds(3600000)},
      {"Wed, 21 Oct 2015 07:27:00 GMT", milliseconds(0)},  // already past
      {"-1", std::nullopt},
      {"1.5", std::nullopt},
      {"soon", std::nullopt},
      {"", std::nullopt},
      {"99999999999", std::nullopt},
      // Dates are read by libcurl (curl_getdate), which takes UTC for GMT.
      {"Wed, 21 Oct 2015 07:28:30 UTC", milliseconds(30000)},
      {"Wed, 21 Oct 2015 25:28:30 GMT", std::nullopt},
  };
  for (const Case& c : cases) {
    INFO(c.value);
    CHECK(parse_retry_after(c.value, now) == c.delay);
  }
}

TEST_CASE("HTTP-dates round-trip", "[net][retry]") {
  CHECK(format_http_date(at(1994, 11, 6, 8, 49, 37)) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(format_http_date(at(2024, 2, 29)) == "Thu, 29 Feb 2024 00:00:00 GMT");
  CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == at(1994, 11, 6, 8, 49, 37));
  // RFC 9110 5.6.7: the obsolete RFC 850 and asctime forms are read too (curl_getdate).
  CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == at(1994, 11, 6, 8, 49, 37));
  CHECK(parse_http_date("Sun Nov  6 08:49:37 1994") == at(1994, 11, 6, 8, 49, 37));
  CHECK(!parse_http_date("Sun, 06 Nov 1994 24:49:37 GMT"));
  CHECK(!parse_http_date("soon"));
  CHECK(!parse_http_date(""));
}

TEST_CASE("back-off doubles within jitter bounds and stops at the cap", "[net][retry]") {
  Backoff backoff(milliseconds(100), milliseconds(1000), 7);
  const std::vector<std::pair<long long, long long>> bounds = {
      {50, 100}, {100, 200}, {200, 400}, {400, 800}, {500, 1000}, {500, 1000}, {500, 1000}};
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    auto delay = backoff.delay(static_cast<int>(i) + 1).count();
    INFO("retry " << i + 1 << " waited " << delay);
    CHECK(delay >= bounds[i].first);
    CHECK(delay <= bounds[i].second);
  }
  // Absurd retry numbers saturate rather than overflow.
  CHECK(backoff.delay(1000).count() <= 1000);
}

TEST_CASE("back-off is reproducible from its seed", "[net][retry]") {
  Backoff a(milliseconds(250), milliseconds(30000), 99);
  Backoff b(milliseconds(250), milliseconds(30000), 99);
  for (int retry = 1; retry <= 6; ++retry) CHECK(a.delay(retry) == b.delay(retry));
}

TEST_CASE("Retry-After wins over back-off but not over the cap", "[net][retry]") {
  Backoff backoff(milliseconds(100), milliseconds(2000), 1);
  CHECK(backoff.delay(1, milliseconds(1500)) == milliseconds(1500));
  CHECK(backoff.delay(1, milliseconds(0)) == milliseconds(0));
  CHECK(backoff.delay(3, milliseconds(120000)) == milliseconds(2000));
  CHECK(backoff.delay(1, std::nullopt) <= milliseconds(100));
}

TEST_CASE("rate limits are retried after the wait they name", "[net][retry]") {
  const Timestamp now = at(2025, 11, 25, 3, 0, 0);
  const std::string in_20s =
      std::to_string((now + std::chrono::seconds(20)).time_since_epoch().count());
  const std::string past =
      std::to_string((now - std::chrono::seconds(5)).time_since_epoch().count());
  constexpr std::array<long, 5> statuses = {429, 500, 502, 503, 504};
  using Verdict = RetryAdvice::Verdict;
  struct Case {
    std::string name;
    long status;
    Headers headers;
    Verdict verdict;
    std::optional<milliseconds> wait;
  };
  const std::vector<Case> cases = {
      {"5xx backs off", 500, {}, Verdict::retry, std::nullopt},
      {"503 with Retry-After", 503, {{"retry-after", "3"}}, Verdict::retry, milliseconds(3000)},
      {"429 with Retry-After", 429, {{"retry-after", "7"}}, Verdict::retry, milliseconds(7000)},
      {"secondary rate limit", 403, {{"retry-after", "60"}}, Verdict::retry, milliseconds(60000)},
      {"spent rate limit",
       403,
       {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", in_20s}},
       Verdict::retry,
       milliseconds(20000)},
      {"reset already past",
       429,
       {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", past}},
       Verdict::retry,
       milliseconds(0)},
      {"403 with requests left is no rate limit",
       403,
       {{"x-ratelimit-remaining", "12"}, {"x-ratelimit-reset", in_20s}},
       Verdict::final,
       std::nullopt},
      {"plain 403", 403, {}, Verdict::final, std::nullopt},
      {"404 with Retry-After", 404, {{"retry-after", "1"}}, Verdict::final, milliseconds(1000)},
      {"200", 200, {}, Verdict::final, std::nullopt},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Response response;
    response.status = c.status;
    response.headers = c.headers;
    RetryAdvice advice = advise_retry(response, statuses, now);
    CHECK(advice.verdict == c.verdict);
    if (c.verdict == Verdict::retry) CHECK(advice.server_wait == c.wait);
  }
}
