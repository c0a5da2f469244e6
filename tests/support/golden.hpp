// Golden files: a renderer's whole output compared byte for byte with a file
// under tests/data/golden/. Run the tests with DRIFTLOCK_UPDATE_GOLDEN=1 to
// rewrite the files after a deliberate change (then review the diff in git).
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "support/text_files.hpp"

namespace driftlock::testing {

namespace golden_detail {

inline std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      return lines;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

// A line as the failure message shows it: control characters (an ANSI escape,
// a carriage return) written as \xNN so the difference is visible.
inline std::string visible(std::string_view line) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : line) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// "line 12, column 5" and both versions of that line; "" when equal.
inline std::string first_difference(std::string_view expected, std::string_view actual) {
  if (expected == actual) return {};
  const auto want = split_lines(expected);
  const auto got = split_lines(actual);
  std::size_t i = 0;
  while (i < want.size() && i < got.size() && want[i] == got[i]) ++i;
  std::size_t column = 0;
  if (i < want.size() && i < got.size()) {
    while (column < want[i].size() && column < got[i].size() && want[i][column] == got[i][column]) {
      ++column;
    }
  }
  std::string out = "first difference at line " + std::to_string(i + 1) + ", column " +
                    std::to_string(column + 1) + ":\n";
  out +=
      "  expected: " + (i < want.size() ? visible(want[i]) : std::string("(end of file)")) + "\n";
  out += "  actual:   " + (i < got.size() ? visible(got[i]) : std::string("(end of output)"));
  return out;
}

}  // namespace golden_detail

inline std::filesystem::path golden_path(std::string_view file) {
  return std::filesystem::path(DRIFTLOCK_TEST_DATA) / "golden" / file;
}

// Compares `actual` with tests/data/golden/`file`; with DRIFTLOCK_UPDATE_GOLDEN
// set (and not "0"), writes `actual` there first. A mismatch fails the test with
// the file's path and the first differing line, and the test goes on.
inline void check_golden(std::string_view file, std::string_view actual) {
  const std::filesystem::path path = golden_path(file);
  const char* update = std::getenv("DRIFTLOCK_UPDATE_GOLDEN");
  if (update && *update && std::string_view(update) != "0") {
    write_text(path, std::string(actual));
  }
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    FAIL_CHECK("golden file " << path.string()
                              << " is missing (DRIFTLOCK_UPDATE_GOLDEN=1 writes it)");
    return;
  }
  const std::string expected = read_text(path);
  const std::string difference = golden_detail::first_difference(expected, actual);
  if (difference.empty()) {
    SUCCEED("golden file " << path.string() << " matches");
  } else {
    FAIL_CHECK("output differs from golden file "
               << path.string() << "\n"
               << difference
               << "\n(DRIFTLOCK_UPDATE_GOLDEN=1 rewrites it after a deliberate change)");
  }
}

}  // namespace driftlock::testing
