// What `driftlock history` prints: past runs (each status, running ones
// unfinished), the culprits they named and what the snapshot holds back, as
// text, JSON and Markdown, byte for byte.
#include "publish/history_render.hpp"

#include <catch2/catch.hpp>

#include "support/golden.hpp"

using namespace driftlock;
using namespace driftlock::publish;

namespace {

Timestamp at(std::string_view text) {
  auto t = parse_timestamp(text);
  REQUIRE(t);
  return *t;
}

// Several runs of every kind and status: a summary as `run` writes it, one
// without a message, an empty one, one that is not JSON, one with a line break
// and an escape sequence; culprits of several ecosystems (one whose run is
// gone, one with unicode and Markdown/HTML in its reason, one with a name of
// Markdown and HTML specials); held-back versions with and without reason and
// since (an OCI digest hold among them).
History busy() {
  History history;
  history.state = true;
  history.snapshot = true;
  history.runs = {
      {7, "run", "running", at("2026-11-25T03:00:00Z"), std::nullopt, "{}"},
      {6, "check", "interrupted", at("2026-11-24T15:30:00Z"), at("2026-11-24T15:31:05Z"),
       "not json {"},
      {5, "bisect", "error", at("2026-11-24T11:00:00Z"), at("2026-11-24T11:00:02Z"),
       R"({"message": "registry.example: 503 Service Unavailable\n\u001b[31mretrying"})"},
      {4, "check", "ok", at("2026-11-23T14:00:00Z"), at("2026-11-23T14:06:40Z"),
       R"({"changes": 0, "builds": 1, "shipped": false})"},
      {3, "run", "worse", at("2026-11-23T03:00:00Z"), at("2026-11-23T04:42:10Z"),
       R"({"changes": 5, "shipped": true, "pushed": true, "snapshot": "snapshots/ci-image.lock.json",)"
       R"( "culprits": ["npm @types/node 22.0.0", "pypi na\u00efve|<b>pkg</b>*_x_ 2.0"],)"
       R"( "builds": 7, "message": "3 updates shipped, 2 changes held back | see *below*"})"},
      {2, "run", "ok", at("2026-11-22T03:00:00Z"), at("2026-11-22T03:00:00Z"),
       R"({"changes": 0, "shipped": false, "pushed": false, "builds": 0, "message": "no drift"})"},
  };
  history.culprits = {
      {3, "npm", "@types/node", "22.0.0",
       "fails test: \u201cESM\u2011only\u201d \u2014 <br> | *tsc* \U0001F4A5",
       at("2026-11-23T04:10:00Z")},
      {3, "pypi", "na\u00efve|<b>pkg</b>*_x_", "2.0", "test exited with 1\nFAIL tests/test_x.py",
       at("2026-11-23T04:20:00Z")},
      {std::nullopt, "oci", "registry.example:5000/team/python", "sha256:" + std::string(64, 'c'),
       "", at("2026-09-30T03:12:00Z")},
  };
  history.held = {
      {"debian", "libssl3", "3.0.13-1~deb12u1", std::nullopt, std::nullopt},
      {"npm", "@types/node", "22.0.0",
       "fails test: \u201cESM\u2011only\u201d \u2014 <br> | *tsc* \U0001F4A5",
       "2026-11-23T04:10:00Z"},
      {"oci", "registry.example:5000/team/python", "sha256:" + std::string(64, 'c'),
       "test exited with 1", "2026-09-30T03:12:00Z"},
  };
  return history;
}

// A state database with nothing in it yet, and a snapshot that holds nothing.
History quiet() {
  History history;
  history.state = true;
  history.snapshot = true;
  return history;
}

// A fresh project: no state database, no snapshot.
History fresh() {
  return History{};
}

}  // namespace

// Golden files: every format of each history, byte for byte (DRIFTLOCK_UPDATE_GOLDEN=1
// rewrites them after a deliberate change).
TEST_CASE("history: golden outputs", "[publish][history][golden]") {
  struct Case {
    const char* file;
    History history;
    OutputFormat format;
    Color color;
  };
  const Case cases[] = {
      {"history_busy.txt", busy(), OutputFormat::text, Color::never},
      {"history_busy_color.txt", busy(), OutputFormat::text, Color::always},
      {"history_busy.json", busy(), OutputFormat::json, Color::never},
      {"history_busy.md", busy(), OutputFormat::markdown, Color::never},
      {"history_quiet.txt", quiet(), OutputFormat::text, Color::never},
      {"history_quiet.json", quiet(), OutputFormat::json, Color::never},
      {"history_quiet.md", quiet(), OutputFormat::markdown, Color::never},
      {"history_empty.txt", fresh(), OutputFormat::text, Color::never},
      {"history_empty.json", fresh(), OutputFormat::json, Color::never},
      {"history_empty.md", fresh(), OutputFormat::markdown, Color::never},
  };
  for (const Case& c : cases) {
    driftlock::testing::check_golden(c.file, render_history(c.history, c.format, c.color));
  }
}
