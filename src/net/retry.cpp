#include "net/retry.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <curl/curl.h>
#include <fmt/format.h>

#include "core/text.hpp"
#include "net/http_text.hpp"

namespace driftlock::net {
namespace {

constexpr std::array<std::string_view, 12> month_names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> weekday_names = {"Sun", "Mon", "Tue", "Wed",
                                                           "Thu", "Fri", "Sat"};

std::optional<long long> parse_digits(std::string_view text, std::size_t min_len,
                                      std::size_t max_len) {
  if (text.size() < min_len || text.size() > max_len) return std::nullopt;
  // from_chars would take a sign; HTTP numbers are bare digits.
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  long long value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

bool is_retry_status(long status, std::span<const long> retry_statuses) {
  return std::find(retry_statuses.begin(), retry_statuses.end(), status) != retry_statuses.end();
}

std::optional<Timestamp> parse_http_date(std::string_view text) {
  // libcurl's date parser reads the three forms RFC 9110 5.6.7 says a
  // recipient must accept (IMF-fixdate, RFC 850, asctime).
  const std::string copy(trim_whitespace(text));
  // Every form names its month; a bare number is never a date.
  const bool has_month = std::any_of(copy.begin(), copy.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  });
  if (!has_month || copy.find('\0') != std::string::npos) return std::nullopt;
  const time_t seconds = curl_getdate(copy.c_str(), nullptr);
  if (seconds == -1) return std::nullopt;
  return Timestamp{std::chrono::seconds(seconds)};
}

std::string format_http_date(Timestamp t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day date(days);
  std::chrono::hh_mm_ss time(t - days);
  std::chrono::weekday weekday(days);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
                     weekday_names[weekday.c_encoding()], static_cast<unsigned>(date.day()),
                     month_names[static_cast<unsigned>(date.month()) - 1],
                     static_cast<int>(date.year()), time.hours().count(), time.minutes().count(),
                     time.seconds().count());
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, Timestamp now) {
  value = trim_whitespace(value);
  // Delta-seconds; ten digits is centuries, more is nonsense or an overflow.
  if (auto seconds = parse_digits(value, 1, 10)) {
    return std::chrono::milliseconds(*seconds * 1000);
  }
  if (auto when = parse_http_date(value)) {
    if (*when <= now) return std::chrono::milliseconds(0);
    return std::chrono::duration_cast<std::chrono::milliseconds>(*when - now);
  }
  return std::nullopt;
}

RetryAdvice advise_retry(const Response& response, std::span<const long> retry_statuses,
                         Timestamp now) {
  std::optional<std::chrono::milliseconds> wait;
  if (auto value = response.header("retry-after")) wait = parse_retry_after(*value, now);
  const bool rate_limit_status = response.status == 403 || response.status == 429;
  if (!wait && rate_limit_status && response.header("x-ratelimit-remaining") == "0") {
    if (auto reset = response.header("x-ratelimit-reset")) {
      if (auto epoch = parse_digits(trim_whitespace(*reset), 1, 12)) {
        const Timestamp when{std::chrono::seconds(*epoch)};
        wait = when <= now ? std::chrono::milliseconds(0)
                           : std::chrono::duration_cast<std::chrono::milliseconds>(when - now);
      }
    }
  }
  if (is_retry_status(response.status, retry_statuses) || (rate_limit_status && wait)) {
    return {RetryAdvice::Verdict::retry, wait};
  }
  return {};
}

Backoff::Backoff(std::chrono::milliseconds base, std::chrono::milliseconds max, std::uint64_t seed)
    : m_base(std::max(base, std::chrono::milliseconds(0))),
      m_max(std::max(max, std::chrono::milliseconds(0))),
      m_random(seed) {}

std::chrono::milliseconds Backoff::delay(int retry) {
  // Doubling saturates at max without overflowing.
  std::chrono::milliseconds ceiling = std::min(m_base, m_max);
  for (int i = 1; i < retry && ceiling < m_max; ++i) ceiling = std::min(ceiling * 2, m_max);
  auto high = ceiling.count();
  std::uniform_int_distribution<long long> pick(high / 2, high);
  return std::chrono::milliseconds(pick(m_random));
}

std::chrono::milliseconds Backoff::delay(int retry,
                                         std::optional<std::chrono::milliseconds> retry_after) {
  if (retry_after) return std::min(*retry_after, m_max);
  return delay(retry);
}

}  // namespace driftlock::net
