#include "ecosystems/npm/desugar.hpp"

#include "core/text.hpp"
#include "ecosystems/npm/syntax.hpp"
#include "ecosystems/npm/text.hpp"

namespace driftlock::ecosystems::npm {

namespace {

using syntax::Match;
using syntax::match_plain;
using syntax::match_whole;
using syntax::Plain;

// String#split(' '): every single space separates, so "a  b" has an empty middle.
std::vector<std::string> split_each_space(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t space = s.find(' ', start);
    out.emplace_back(s.substr(start, space - start));
    if (space == std::string_view::npos) return out;
    start = space + 1;
  }
}

// String#split(/\s+/): runs separate; leading or trailing runs give "".
std::vector<std::string> split_space_runs(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] != ' ') {
      ++i;
      continue;
    }
    out.emplace_back(s.substr(start, i - start));
    while (i < s.size() && s[i] == ' ') ++i;
    start = i;
  }
  out.emplace_back(s.substr(start));
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += ' ';
    out += parts[i];
  }
  return out;
}

Plain partial_shape(const DesugarOptions& o) {
  return o.loose ? Plain::xrange_loose : Plain::xrange;
}

// node-semver's isX: absent, "x", "X" or "*".
bool is_x(std::optional<std::string_view> part) {
  return !part || *part == "x" || *part == "X" || *part == "*";
}

std::string str(std::optional<std::string_view> part) {
  return std::string(part.value_or(""));
}

std::string plus_one(std::optional<std::string_view> digits) {
  return syntax::js_increment(digits.value_or(""));
}

// Build metadata never takes part in ranges: "+..." runs are cut first,
// with no length bound (unlike the other tokens).
std::string strip_builds(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  const auto word_run_end = [&](std::size_t p) {
    while (p < s.size() && is_word(s[p])) ++p;
    return p;
  };
  while (i < s.size()) {
    if (s[i] == '+' && i + 1 < s.size() && is_word(s[i + 1])) {
      std::size_t end = word_run_end(i + 1);
      while (end + 1 < s.size() && s[end] == '.' && is_word(s[end + 1]))
        end = word_run_end(end + 1);
      i = end;
      continue;
    }
    out += s[i++];
  }
  return out;
}

std::string hyphen_bounds(std::string_view s, const Match& from, const Match& to,
                          bool include_prerelease) {
  const std::string z = include_prerelease ? "-0" : "";
  const std::string from_text(s.substr(from.begin, from.end - from.begin));
  const std::string to_text(s.substr(to.begin, to.end - to.begin));
  const std::string fM(from.major), tM(to.major);
  std::string low;
  if (is_x(from.major)) {
    low = "";
  } else if (is_x(from.minor)) {
    low = ">=" + fM + ".0.0" + z;
  } else if (is_x(from.patch)) {
    low = ">=" + fM + "." + str(from.minor) + ".0" + z;
  } else if (from.prerelease) {
    low = ">=" + from_text;
  } else {
    low = ">=" + from_text + z;
  }
  std::string high;
  if (is_x(to.major)) {
    high = "";
  } else if (is_x(to.minor)) {
    high = "<" + plus_one(to.major) + ".0.0-0";
  } else if (is_x(to.patch)) {
    high = "<" + tM + "." + plus_one(to.minor) + ".0-0";
  } else if (to.prerelease) {
    high = "<=" + tM + "." + str(to.minor) + "." + str(to.patch) + "-" + str(to.prerelease);
  } else if (include_prerelease) {
    high = "<" + tM + "." + str(to.minor) + "." + plus_one(to.patch) + "-0";
  } else {
    high = "<=" + to_text;
  }
  return std::string(trim_whitespace(low + " " + high));
}

// `A - B` filling the whole part: >=A <=B, with partial bounds widened.
std::string replace_hyphen(std::string_view s, const DesugarOptions& o) {
  const Plain shape = partial_shape(o);
  Match from;
  Match to;
  const auto to_end = [&](std::size_t e) {
    return e == s.size() || (e + 1 == s.size() && s[e] == ' ');
  };
  const auto then_to = [&](std::size_t e) {
    return s.substr(e, 3) == " - " && match_plain(s, e + 3, shape, to_end, to);
  };
  // The pattern may start with one space, tried taken first.
  const bool found = (!s.empty() && s[0] == ' ' && match_plain(s, 1, shape, then_to, from)) ||
                     match_plain(s, 0, shape, then_to, from);
  if (!found) return std::string(s);
  return hyphen_bounds(s, from, to, o.include_prerelease);
}

// "> 1.2.3" becomes ">1.2.3": one space after an operator (or after a space)
// that precedes a version is dropped, scanning left to right.
std::string trim_operators(std::string_view s) {
  std::string out;
  std::size_t j = 0;
  const auto anything = [](std::size_t) { return true; };
  while (j < s.size()) {
    std::size_t k = j;
    if (s[k] == ' ') ++k;
    k = syntax::operator_end(s, k);
    std::size_t v = k;
    if (v < s.size() && s[v] == ' ') ++v;
    Match m;
    if (match_plain(s, v, Plain::loose, anything, m) ||
        match_plain(s, v, Plain::xrange, anything, m)) {
      out.append(s.substr(j, k - j));
      out.append(s.substr(v, m.end - v));
      j = m.end;
      continue;
    }
    out += s[j++];
  }
  return out;
}

// "~ 1.2" and "~> 1.2" become "~1.2"; "^ 1.2" becomes "^1.2".
std::string trim_after(std::string_view s, char op, bool arrow) {
  std::string out;
  std::size_t j = 0;
  while (j < s.size()) {
    std::size_t k = j;
    if (s[k] == ' ') ++k;
    if (k < s.size() && s[k] == op) {
      std::size_t end = 0;
      if (arrow && s.substr(k + 1, 2) == "> ") {
        end = k + 3;
      } else if (s.substr(k + 1, 1) == " ") {
        end = k + 2;
      }
      if (end != 0) {
        out.append(s.substr(j, k - j));
        out += op;
        j = end;
        continue;
      }
    }
    out += s[j++];
  }
  return out;
}

std::string desugar_caret(const Match& m, bool include_prerelease) {
  const std::string z = include_prerelease ? "-0" : "";
  const std::string M(m.major), mi = str(m.minor), p = str(m.patch);
  if (is_x(m.major)) return "";
  if (is_x(m.minor)) return ">=" + M + ".0.0" + z + " <" + plus_one(m.major) + ".0.0-0";
  if (is_x(m.patch)) {
    if (M == "0")
      return ">=" + M + "." + mi + ".0" + z + " <" + M + "." + plus_one(m.minor) + ".0-0";
    return ">=" + M + "." + mi + ".0" + z + " <" + plus_one(m.major) + ".0.0-0";
  }
  const std::string low =
      ">=" + M + "." + mi + "." + p + (m.prerelease ? "-" + str(m.prerelease) : "");
  if (M == "0") {
    if (mi == "0") return low + " <" + M + "." + mi + "." + plus_one(m.patch) + "-0";
    return low + " <" + M + "." + plus_one(m.minor) + ".0-0";
  }
  return low + " <" + plus_one(m.major) + ".0.0-0";
}

std::string replace_caret(const std::string& comp, const DesugarOptions& o) {
  if (comp.empty() || comp[0] != '^') return comp;
  const auto m = match_whole(comp, 1, partial_shape(o));
  return m ? desugar_caret(*m, o.include_prerelease) : comp;
}

std::string desugar_tilde(const Match& m, bool include_prerelease) {
  const std::string z = include_prerelease ? "-0" : "";
  const std::string M(m.major), mi = str(m.minor), p = str(m.patch);
  if (is_x(m.major)) return "";
  if (is_x(m.minor)) return ">=" + M + ".0.0" + z + " <" + plus_one(m.major) + ".0.0-0";
  const std::string high = " <" + M + "." + plus_one(m.minor) + ".0-0";
  if (is_x(m.patch)) return ">=" + M + "." + mi + ".0" + z + high;
  if (m.prerelease) return ">=" + M + "." + mi + "." + p + "-" + str(m.prerelease) + high;
  return ">=" + M + "." + mi + "." + p + high;
}

std::string replace_tilde(const std::string& comp, const DesugarOptions& o) {
  if (comp.empty() || comp[0] != '~') return comp;
  const std::size_t start = comp.size() > 1 && comp[1] == '>' ? 2 : 1;
  const auto m = match_whole(comp, start, partial_shape(o));
  return m ? desugar_tilde(*m, o.include_prerelease) : comp;
}

std::string replace_xrange(std::string_view raw, const DesugarOptions& o) {
  const std::string comp(trim_whitespace(raw));
  const std::size_t op_end = syntax::operator_end(comp, 0);
  std::size_t v = op_end;
  if (v < comp.size() && comp[v] == ' ') ++v;
  const auto m = match_whole(comp, v, partial_shape(o));
  if (!m) return comp;
  std::string op = comp.substr(0, op_end);
  // "x.1" or "1.x.2" is no x-range; node-semver leaves it to fail later.
  if ((is_x(m->major) && !is_x(m->minor)) || (is_x(m->minor) && m->patch && !is_x(m->patch))) {
    return comp;
  }
  const bool x_major = is_x(m->major);
  const bool x_minor = x_major || is_x(m->minor);
  const bool x_patch = x_minor || is_x(m->patch);
  if (op == "=" && x_patch) op = "";
  std::string pr = o.include_prerelease ? "-0" : "";
  if (x_major) return op == ">" || op == "<" ? "<0.0.0-0" : "*";
  std::string M(m->major), mi = str(m->minor);
  if (!op.empty() && x_patch) {
    if (x_minor) mi = "0";
    std::string p = "0";
    if (op == ">") {
      // >1 is >=2.0.0, >1.2 is >=1.3.0
      op = ">=";
      if (x_minor) {
        M = plus_one(m->major);
      } else {
        mi = plus_one(m->minor);
      }
    } else if (op == "<=") {
      // <=0.7.x is <0.8.0-0: every 0.7.x passes
      op = "<";
      if (x_minor) {
        M = plus_one(m->major);
      } else {
        mi = plus_one(m->minor);
      }
    }
    if (op == "<") pr = "-0";
    return op + M + "." + mi + "." + p + pr;
  }
  if (x_minor) return ">=" + M + ".0.0" + pr + " <" + plus_one(m->major) + ".0.0-0";
  if (x_patch)
    return ">=" + M + "." + mi + ".0" + pr + " <" + M + "." + plus_one(m->minor) + ".0-0";
  return comp;
}

// The first `*` (with an operator and one space before it) goes: "*" means
// any version, which an empty comparator already says.
std::string remove_star(std::string_view raw) {
  std::string s(trim_whitespace(raw));
  for (std::size_t j = 0; j < s.size(); ++j) {
    std::size_t k = j;
    if (s[k] == '<' || s[k] == '>') ++k;
    if (k < s.size() && s[k] == '=') ++k;
    if (k < s.size() && s[k] == ' ') ++k;
    if (k < s.size() && s[k] == '*') {
      s.erase(j, k + 1 - j);
      break;
    }
  }
  return s;
}

std::string desugar_comparator(const std::string& comp, const DesugarOptions& o) {
  const std::string caret = replace_caret(comp, o);
  std::vector<std::string> tildes = split_space_runs(trim_whitespace(caret));
  for (std::string& t : tildes) t = replace_tilde(t, o);
  std::vector<std::string> xranges = split_space_runs(join(tildes));
  for (std::string& x : xranges) x = replace_xrange(x, o);
  return remove_star(join(xranges));
}

}  // namespace

std::string normalize_whitespace(std::string_view text) {
  const std::string_view trimmed = js_trim(text);
  std::string out;
  std::size_t i = 0;
  while (i < trimmed.size()) {
    if (const std::size_t n = js_space_length(trimmed, i)) {
      if (out.empty() || out.back() != ' ') out += ' ';
      i += n;
    } else {
      out += trimmed[i++];
    }
  }
  return out;
}

std::vector<std::string> desugar_part(std::string_view part, const DesugarOptions& options) {
  std::string s = strip_builds(part);
  s = replace_hyphen(s, options);
  s = trim_operators(s);
  s = trim_after(s, '~', true);
  s = trim_after(s, '^', false);
  std::vector<std::string> comps = split_each_space(s);
  for (std::string& comp : comps) comp = desugar_comparator(comp, options);
  std::vector<std::string> pieces = split_space_runs(join(comps));
  // >=0.0.0 admits every release: it is the same as "*".
  const std::string_view everything = options.include_prerelease ? ">=0.0.0-0" : ">=0.0.0";
  for (std::string& piece : pieces) {
    if (trim_whitespace(piece) == everything) piece.clear();
  }
  return pieces;
}

}  // namespace driftlock::ecosystems::npm
