// The progress lines `run`, `check` and `bisect` print on stderr.
#include "cli/progress.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace driftlock;
using std::chrono::milliseconds;

TEST_CASE("progress: elapsed times read at a glance", "[cli]") {
  const std::vector<std::pair<milliseconds, std::string>> table = {
      {milliseconds(850), "850ms"},       {milliseconds(12'400), "12s"},
      {milliseconds(65'000), "1m05s"},    {milliseconds(3'599'000), "59m59s"},
      {milliseconds(3'720'000), "1h02m"},
  };
  for (const auto& [elapsed, text] : table) CHECK(cli::format_elapsed(elapsed) == text);
}

TEST_CASE("progress: a line per probe start and end off a terminal", "[cli]") {
  std::ostringstream err;
  {
    cli::ProgressPrinter printer(err, cli::Terminal::no, cli::Verbosity::normal);
    pipeline::ProbeStart baseline;
    baseline.number = 1;
    baseline.expected_total = 2;
    baseline.total_changes = 24;
    baseline.purpose = "baseline";
    baseline.candidate_id = "0123456789ab";
    printer.probe_started(baseline);
    pipeline::ProbeEnd passed;
    passed.number = 1;
    passed.expected_total = 2;
    passed.outcome = Outcome::pass;
    passed.reason = "build and test passed";
    passed.duration = milliseconds(65'000);
    passed.log = "/state/logs/run-1/001-0123456789ab-0.log";
    printer.probe_finished(passed);

    pipeline::ProbeStart search;
    search.number = 3;
    search.expected_total = 2;  // the search needed more than announced
    search.changes = 12;
    search.total_changes = 24;
    search.round = 2;
    search.purpose = "culprit search";
    search.candidate_id = "ba9876543210";
    search.labels = {"npm chalk 4.1.2 -> 5.3.0"};
    printer.probe_started(search);
    pipeline::ProbeEnd failed;
    failed.number = 3;
    failed.expected_total = 6;
    failed.outcome = Outcome::fail;
    failed.reason = "test exited with 1";
    failed.duration = milliseconds(2'000);
    failed.log = "/state/logs/run-1/003.log";
    failed.work_dir = "/state/work/run-1/003";
    printer.probe_finished(failed);
    printer.note("not shown without --verbose");
  }
  CHECK(err.str() ==
        "driftlock: probe 1/≈2 started: baseline [candidate 0123456789ab]\n"
        "driftlock: probe 1/≈2 pass after 1m05s: build and test passed (log: "
        "/state/logs/run-1/001-0123456789ab-0.log)\n"
        "driftlock: probe 3/≈3 started: 12 of 24 changes (culprit search), round 2 [candidate "
        "ba9876543210]\n"
        "driftlock: probe 3/≈6 fail after 2s: test exited with 1 (log: /state/logs/run-1/003.log, "
        "work folder kept: /state/work/run-1/003)\n");
}

TEST_CASE("progress: --verbose lists the changes a probe holds, and notes", "[cli]") {
  std::ostringstream err;
  {
    cli::ProgressPrinter printer(err, cli::Terminal::no, cli::Verbosity::verbose);
    pipeline::ProbeStart start;
    start.number = 2;
    start.expected_total = 4;
    start.changes = 2;
    start.total_changes = 2;
    start.purpose = "full candidate";
    start.candidate_id = "abc";
    start.labels = {"npm a 1.0.0 -> 1.1.0", "pypi b 2.0 -> 3.0"};
    printer.probe_started(start);
    printer.note("baseline (0 changes): pass recalled from an earlier build of candidate def");
  }
  CHECK(err.str() ==
        "driftlock: probe 2/≈4 started: 2 of 2 changes (full candidate) [candidate abc]\n"
        "    npm a 1.0.0 -> 1.1.0\n"
        "    pypi b 2.0 -> 3.0\n"
        "driftlock: baseline (0 changes): pass recalled from an earlier build of candidate def\n");
}

TEST_CASE("progress: --quiet prints nothing", "[cli]") {
  std::ostringstream out, err;
  FixedClock clock(Timestamp(std::chrono::seconds(0)));
  cli::Context context{out, err, publish::Color::never, clock, {}, {}};
  context.verbosity = cli::Verbosity::quiet;
  CHECK(cli::make_progress(context) == nullptr);
  context.verbosity = cli::Verbosity::normal;
  CHECK(cli::make_progress(context) != nullptr);
}
