#include "ecosystems/npm/syntax.hpp"

#include <charconv>
#include <system_error>

#include "ecosystems/npm/text.hpp"

namespace driftlock::ecosystems::npm::syntax {

namespace {

constexpr std::size_t npos = std::string_view::npos;
// node-semver bounds its repetitions to stop regex denial of service:
// `\d*`/`\d+` match at most 256 digits, `[a-zA-Z0-9-]*`/`+` at most 250 chars.
constexpr std::size_t kDigitCap = 256;
constexpr std::size_t kWordCap = 250;

bool at(std::string_view t, std::size_t p, char c) {
  return p < t.size() && t[p] == c;
}
bool is_x(char c) {
  return c == 'x' || c == 'X' || c == '*';
}

std::size_t run(std::string_view t, std::size_t p, bool (*pred)(char), std::size_t cap) {
  std::size_t n = 0;
  while (p + n < t.size() && n < cap && pred(t[p + n])) ++n;
  return n;
}

// A numeric identifier: strict `0|[1-9]\d*`, loose `\d+`.
std::size_t number_end(std::string_view t, std::size_t p, bool loose) {
  if (p >= t.size() || !is_digit(t[p])) return npos;
  if (loose) return p + run(t, p, is_digit, kDigitCap);
  if (t[p] == '0') return p + 1;
  return p + 1 + run(t, p + 1, is_digit, kDigitCap);
}

// A number or one of the wildcards `x`, `X`, `*`.
std::size_t part_end(std::string_view t, std::size_t p, bool loose) {
  if (p < t.size() && is_x(t[p])) return p + 1;
  return number_end(t, p, loose);
}

// A pre-release identifier: digits then a letter or hyphen then word
// characters; else a numeric identifier.
std::size_t identifier_end(std::string_view t, std::size_t p, bool loose) {
  const std::size_t digits = run(t, p, is_digit, kDigitCap);
  const std::size_t q = p + digits;
  if (q < t.size() && (is_letter(t[q]) || t[q] == '-'))
    return q + 1 + run(t, q + 1, is_word, kWordCap);
  return number_end(t, p, loose);
}

// `-id.id...`; loose makes the hyphen optional. `start` receives where the
// captured identifiers begin: loose "1.2.3-" has the pre-release "-".
std::size_t prerelease_end(std::string_view t, std::size_t p, bool loose, std::size_t& start) {
  std::size_t end = npos;
  if (at(t, p, '-')) {
    start = p + 1;
    end = identifier_end(t, start, loose);
  }
  if (end == npos) {
    if (!loose) return npos;
    start = p;
    end = identifier_end(t, start, loose);
    if (end == npos) return npos;
  }
  while (at(t, end, '.')) {
    const std::size_t next = identifier_end(t, end + 1, loose);
    if (next == npos) break;
    end = next;
  }
  return end;
}

// `+word.word...`
std::size_t build_end(std::string_view t, std::size_t p) {
  if (!at(t, p, '+')) return npos;
  const std::size_t first = run(t, p + 1, is_word, kWordCap);
  if (first == 0) return npos;
  std::size_t end = p + 1 + first;
  while (at(t, end, '.')) {
    const std::size_t next = run(t, end + 1, is_word, kWordCap);
    if (next == 0) break;
    end += 1 + next;
  }
  return end;
}

// The optional pre-release and build after the patch, in the order the regex
// tries them: both, pre-release only, build only, neither.
bool match_tail(std::string_view t, std::size_t p, bool loose, Accept accept, Match& out) {
  std::size_t start = 0;
  const std::size_t pre_end = prerelease_end(t, p, loose, start);
  const auto finish = [&](std::size_t pre_from, std::size_t pre_to, std::size_t build_to) {
    out.prerelease.reset();
    out.build.reset();
    if (pre_to != npos) out.prerelease = t.substr(pre_from, pre_to - pre_from);
    const std::size_t build_from = pre_to != npos ? pre_to : p;
    if (build_to != npos) out.build = t.substr(build_from + 1, build_to - build_from - 1);
    out.end = build_to != npos ? build_to : build_from;
    return true;
  };
  if (pre_end != npos) {
    const std::size_t b = build_end(t, pre_end);
    if (b != npos && accept(b)) return finish(start, pre_end, b);
    if (accept(pre_end)) return finish(start, pre_end, npos);
  }
  const std::size_t b = build_end(t, p);
  if (b != npos && accept(b)) return finish(0, npos, b);
  if (accept(p)) return finish(0, npos, npos);
  return false;
}

bool match_patch(std::string_view t, std::size_t p, bool loose, bool x_allowed, Accept accept,
                 Match& out) {
  if (x_allowed && p < t.size() && is_x(t[p])) {
    out.patch = t.substr(p, 1);
    return match_tail(t, p + 1, loose, accept, out);
  }
  const std::size_t greedy = number_end(t, p, loose);
  if (greedy == npos) return false;
  // Loose pre-releases need no hyphen, so a shorter patch can leave digits to
  // one: loose "1.2.34.5" is 1.2.3-4.5. Strict ones start with '-'.
  const std::size_t shortest = loose ? p + 1 : greedy;
  for (std::size_t end = greedy; end >= shortest; --end) {
    out.patch = t.substr(p, end - p);
    if (match_tail(t, end, loose, accept, out)) return true;
  }
  return false;
}

}  // namespace

bool match_plain(std::string_view t, std::size_t pos, Plain shape, Accept accept, Match& out) {
  const bool loose = shape == Plain::loose || shape == Plain::xrange_loose;
  const bool partial = shape == Plain::xrange || shape == Plain::xrange_loose;
  std::size_t k = pos;
  if (shape == Plain::full) {
    if (at(t, k, 'v')) ++k;
  } else {
    while (k < t.size()) {
      if (t[k] == 'v' || t[k] == '=') {
        ++k;
      } else if (const std::size_t n = js_space_length(t, k)) {
        k += n;
      } else {
        break;
      }
    }
  }
  out = Match{};
  out.begin = pos;
  const std::size_t major_end = partial ? part_end(t, k, loose) : number_end(t, k, loose);
  if (major_end == npos) return false;
  out.major = t.substr(k, major_end - k);

  if (!partial) {
    if (!at(t, major_end, '.')) return false;
    const std::size_t minor_end = number_end(t, major_end + 1, loose);
    if (minor_end == npos || !at(t, minor_end, '.')) return false;
    out.minor = t.substr(major_end + 1, minor_end - major_end - 1);
    return match_patch(t, minor_end + 1, loose, false, accept, out);
  }

  if (at(t, major_end, '.')) {
    const std::size_t minor_end = part_end(t, major_end + 1, loose);
    if (minor_end != npos) {
      out.minor = t.substr(major_end + 1, minor_end - major_end - 1);
      if (at(t, minor_end, '.') && match_patch(t, minor_end + 1, loose, true, accept, out)) {
        return true;
      }
      out.patch.reset();
      out.prerelease.reset();
      out.build.reset();
      if (accept(minor_end)) {
        out.end = minor_end;
        return true;
      }
      out.minor.reset();
    }
  }
  if (accept(major_end)) {
    out.end = major_end;
    return true;
  }
  return false;
}

std::optional<Match> match_whole(std::string_view text, std::size_t pos, Plain shape) {
  Match m;
  const auto to_end = [&](std::size_t end) { return end == text.size(); };
  if (match_plain(text, pos, shape, to_end, m)) return m;
  return std::nullopt;
}

std::size_t operator_end(std::string_view text, std::size_t pos) {
  if (at(text, pos, '<') || at(text, pos, '>')) ++pos;
  if (at(text, pos, '=')) ++pos;
  return pos;
}

double js_number(std::string_view digits) {
  double value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

std::string js_increment(std::string_view digits) {
  const double value = js_number(digits) + 1.0;
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  const std::string_view sci(buffer, static_cast<std::size_t>(result.ptr - buffer));
  const std::size_t e = sci.find('e');
  int exponent = 0;
  std::from_chars(sci.data() + e + 2, sci.data() + sci.size(), exponent);
  if (sci[e + 1] == '-' || exponent >= 21) return std::string(sci);  // JavaScript's "1e+21"
  // Below 1e21 JavaScript prints the shortest round-trip digits padded with zeros.
  std::string out;
  for (char c : sci.substr(0, e)) {
    if (c != '.') out += c;
  }
  const auto width = static_cast<std::size_t>(exponent) + 1;
  if (out.size() < width) out.append(width - out.size(), '0');
  return out;
}

}  // namespace driftlock::ecosystems::npm::syntax
