#include "candidate/junit.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "exec/temp_dir.hpp"

using namespace driftlock;
using namespace driftlock::candidate;
using driftlock::testing::TempDir;

TEST_CASE("JUnit reports: statuses of every test case", "[build][junit]") {
  struct Case {
    std::string name, xml;
    TestResults expected;
  };
  const std::vector<Case> cases = {
      {"pytest",
       R"(<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="4">
  <testcase classname="tests.test_a" name="test_ok" time="0.1"/>
  <testcase classname="tests.test_a" name="test_bad"><failure message="assert 1 == 2">x</failure></testcase>
  <testcase classname="tests.test_a" name="test_boom"><error message="ImportError"/></testcase>
  <testcase classname="tests.test_a" name="test_later"><skipped message="later"/></testcase>
</testsuite></testsuites>)",
       {{"tests.test_a.test_bad", TestStatus::failed},
        {"tests.test_a.test_boom", TestStatus::error},
        {"tests.test_a.test_later", TestStatus::skipped},
        {"tests.test_a.test_ok", TestStatus::passed}}},
      {"single suite, nested suites, no classname",
       R"(<testsuite name="outer"><testsuite name="inner">
  <testcase name="renders"/></testsuite><testcase classname="" name="top"/></testsuite>)",
       {{"renders", TestStatus::passed}, {"top", TestStatus::passed}}},
      {"a repeated test keeps its worse result",
       R"(<testsuites><testsuite><testcase classname="a" name="t"/>
  <testcase classname="a" name="t"><failure/></testcase>
  <testcase classname="a" name="t"/></testsuite></testsuites>)",
       {{"a.t", TestStatus::failed}}},
      {"empty", "<testsuites/>", {}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto results = parse_junit(c.xml, "report.xml");
    REQUIRE(results);
    CHECK(*results == c.expected);
  }
}

TEST_CASE("JUnit reports: errors name the file", "[build][junit]") {
  struct Case {
    std::string xml, message;
  };
  const std::vector<Case> cases = {
      {"<testsuites><testsuite></testsuites>",
       "report.xml:1:26: invalid JUnit XML: Start-end tags mismatch"},
      {"<testsuites>\n  <testcase name=\"a\">\n</testsuites>",
       "report.xml:3:3: invalid JUnit XML: Start-end tags mismatch"},
      {"", "report.xml:1:1: invalid JUnit XML: No document element found"},
      {"<html/>",
       "report.xml: not a JUnit report (the root element is <html>, not <testsuites> or "
       "<testsuite>)"},
  };
  for (const Case& c : cases) {
    auto results = parse_junit(c.xml, "report.xml");
    REQUIRE(!results);
    CHECK(results.error().kind == ErrorKind::input);
    CHECK(one_line(results.error()) == c.message);
  }
}

TEST_CASE("JUnit files: glob and merge", "[build][junit]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "out" / "junit");
  std::ofstream(dir / "out" / "junit" / "a.xml")
      << R"(<testsuite><testcase classname="a" name="t"/><testcase name="u"/></testsuite>)";
  std::ofstream(dir / "out" / "junit" / "b.xml")
      << R"(<testsuite><testcase classname="a" name="t"><error/></testcase></testsuite>)";
  std::ofstream(dir / "out" / "junit" / "notes.txt") << "x";
  auto files = glob_files(dir.path(), "out/junit/*.xml");
  CHECK(files == std::vector<std::filesystem::path>{dir / "out" / "junit" / "a.xml",
                                                    dir / "out" / "junit" / "b.xml"});
  CHECK(glob_files(dir.path(), "nothing/*.xml").empty());
  CHECK(glob_files(dir / "out", (dir / "out" / "junit" / "b*").string()) ==
        std::vector<std::filesystem::path>{dir / "out" / "junit" / "b.xml"});
  auto merged = read_junit(files);
  REQUIRE(merged);
  CHECK(*merged == TestResults{{"a.t", TestStatus::error}, {"u", TestStatus::passed}});

  std::vector<std::filesystem::path> missing = {dir / "missing.xml"};
  auto failed = read_junit(missing);
  REQUIRE(!failed);
  CHECK(failed.error().message == "cannot read JUnit report '" + (dir / "missing.xml").string() +
                                      "': No such file or directory");
}

TEST_CASE("comparing with the baseline", "[build][junit]") {
  const TestResults baseline = {{"a", TestStatus::passed},  {"b", TestStatus::passed},
                                {"c", TestStatus::failed},  {"d", TestStatus::passed},
                                {"e", TestStatus::skipped}, {"f", TestStatus::passed}};
  const TestResults candidate = {{"a", TestStatus::passed}, {"b", TestStatus::error},
                                 {"c", TestStatus::failed}, {"d", TestStatus::skipped},
                                 {"e", TestStatus::failed}, {"g", TestStatus::failed}};
  Comparison c = compare_tests(baseline, candidate);
  CHECK(c.newly_failing == std::vector<std::string>{"b"});
  CHECK(c.not_run == std::vector<std::string>{"d", "f"});
}
