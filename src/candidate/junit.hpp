// JUnit XML results, for judging "at least as good as the baseline" per test.
#pragma once

#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace driftlock::candidate {

// Ordered from least to most severe: merging two results for one test keeps the worse.
enum class TestStatus { skipped, passed, failed, error };

std::string_view to_string(TestStatus status);

// Test id ("classname.name", or just the name without a classname) -> status.
using TestResults = std::map<std::string, TestStatus>;

// Every <testcase> in the document, at any depth (<testsuites>, nested
// <testsuite>s): <failure> makes it failed, <error> error, <skipped> skipped.
// `path` only names the file in errors, which carry its line and column.
Result<TestResults> parse_junit(std::string_view xml, const std::string& path);

// Reads and merges several files; a test reported twice keeps its worse status.
Result<TestResults> read_junit(std::span<const std::filesystem::path> files);

// The files matching `pattern` (glob(3): *, ?, [...]) relative to `dir`,
// sorted; none is an empty list.
std::vector<std::filesystem::path> glob_files(const std::filesystem::path& dir,
                                              std::string_view pattern);

struct Comparison {
  std::vector<std::string> newly_failing;  // passed on the baseline, failed or error now
  std::vector<std::string> not_run;        // passed on the baseline, skipped or absent now
};

// "path:line:col: message" (or the message alone), for one-line notes.
std::string one_line(const Error& error);

Comparison compare_tests(const TestResults& baseline, const TestResults& candidate);

}  // namespace driftlock::candidate
