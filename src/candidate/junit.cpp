#include "candidate/junit.hpp"

#include <fmt/format.h>
#include <glob.h>

#include <algorithm>

#include <pugixml.hpp>

#include "core/file.hpp"

namespace driftlock::candidate {
namespace {

void collect(const pugi::xml_node& node, TestResults& out) {
  for (const pugi::xml_node& child : node.children()) {
    if (std::string_view(child.name()) != "testcase") {
      collect(child, out);
      continue;
    }
    std::string classname = child.attribute("classname").as_string();
    std::string name = child.attribute("name").as_string();
    std::string id = classname.empty() ? name : classname + "." + name;
    TestStatus status = TestStatus::passed;
    if (child.child("error")) {
      status = TestStatus::error;
    } else if (child.child("failure")) {
      status = TestStatus::failed;
    } else if (child.child("skipped")) {
      status = TestStatus::skipped;
    }
    auto [it, inserted] = out.emplace(id, status);
    if (!inserted) it->second = std::max(it->second, status);
  }
}

// Escapes glob(3) characters in the literal folder part of a pattern.
std::string glob_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string one_line(const Error& error) {
  if (!error.location) return error.message;
  return fmt::format("{}:{}:{}: {}", error.location->path, error.location->line,
                     error.location->column, error.message);
}

std::string_view to_string(TestStatus status) {
  switch (status) {
    case TestStatus::skipped:
      return "skipped";
    case TestStatus::passed:
      return "passed";
    case TestStatus::failed:
      return "failed";
    case TestStatus::error:
      return "error";
  }
  return "error";
}

Result<TestResults> parse_junit(std::string_view xml, const std::string& path) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    auto offset = static_cast<std::size_t>(std::max<std::ptrdiff_t>(parsed.offset, 0));
    return fail_at(locate(path, xml, std::min(offset, xml.size())),
                   fmt::format("invalid JUnit XML: {}", parsed.description()));
  }
  std::string_view root = doc.document_element().name();
  if (root != "testsuites" && root != "testsuite") {
    return fail_input(fmt::format(
        "{}: not a JUnit report (the root element is <{}>, not <testsuites> or <testsuite>)", path,
        root));
  }
  TestResults out;
  collect(doc, out);
  return out;
}

Result<TestResults> read_junit(std::span<const std::filesystem::path> files) {
  TestResults out;
  for (const std::filesystem::path& file : files) {
    auto text = read_file(file, "JUnit report");
    if (!text) return std::unexpected(text.error());
    auto results = parse_junit(*text, file.string());
    if (!results) return std::unexpected(results.error());
    for (const auto& [id, status] : *results) {
      auto [it, inserted] = out.emplace(id, status);
      if (!inserted) it->second = std::max(it->second, status);
    }
  }
  return out;
}

std::vector<std::filesystem::path> glob_files(const std::filesystem::path& dir,
                                              std::string_view pattern) {
  std::string full = std::filesystem::path(pattern).is_absolute()
                         ? std::string(pattern)
                         : glob_escape(dir.string()) + "/" + std::string(pattern);
  glob_t matches{};
  std::vector<std::filesystem::path> out;
  if (::glob(full.c_str(), 0, nullptr, &matches) == 0) {
    for (std::size_t i = 0; i < matches.gl_pathc; ++i) {
      std::error_code ec;
      if (std::filesystem::is_regular_file(matches.gl_pathv[i], ec)) {
        out.emplace_back(matches.gl_pathv[i]);
      }
    }
  }
  ::globfree(&matches);
  return out;
}

Comparison compare_tests(const TestResults& baseline, const TestResults& candidate) {
  Comparison out;
  for (const auto& [id, status] : baseline) {
    if (status != TestStatus::passed) continue;
    auto it = candidate.find(id);
    if (it == candidate.end() || it->second == TestStatus::skipped) {
      out.not_run.push_back(id);
    } else if (it->second == TestStatus::failed || it->second == TestStatus::error) {
      out.newly_failing.push_back(id);
    }
  }
  return out;
}

}  // namespace driftlock::candidate
