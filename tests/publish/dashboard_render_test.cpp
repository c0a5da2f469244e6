// The drift dashboard's Markdown: the state at a glance on its first line,
// pending releases, held-back culprits with the command that releases each,
// the manifest's pins and the last runs; registry text cannot break out of
// its table cell.
#include "publish/dashboard_render.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "support/text_files.hpp"

using namespace driftlock;
using publish::DashboardData;
using publish::HistoryRun;

namespace {

Timestamp at(const char* text) {
  return *parse_timestamp(text);
}

ReportEntry entry(std::string ecosystem, std::string name, std::string current,
                  std::string resolved, std::vector<ReportRelease> newer) {
  ReportEntry e;
  e.ecosystem = std::move(ecosystem);
  e.name = std::move(name);
  e.range = "*";
  e.current = std::move(current);
  e.resolved = std::move(resolved);
  e.newer = std::move(newer);
  return e;
}

DashboardData full_dashboard() {
  DashboardData data;
  data.image = "ci-base";
  data.generated = at("2026-12-05T04:00:00Z");

  Report report;
  report.image = "ci-base";
  report.generated = "2026-12-05T04:00:00Z";
  report.snapshot_created = "2026-12-05T03:10:00Z";
  report.entries.push_back(entry("npm", "express", "4.19.2", "4.21.1",
                                 {{"4.21.1", "2026-11-20T08:00:00Z", "2026-11-21T03:00:00Z",
                                   Exclusion::none, std::nullopt, false}}));
  report.entries.push_back(entry(
      "npm", "left-pad", "1.0.0", "1.3.0",
      {{"1.3.0", "2026-12-02T08:00:00Z", std::nullopt, Exclusion::none, std::nullopt, false}}));
  report.entries.push_back(entry("npm", "lodash", "4.17.21", "4.17.21", {}));
  ReportEntry crypto = entry(
      "pypi", "cryptography", "42.0.8", "42.0.8",
      {{"43.0.0", "2026-11-30T10:00:00Z", "2026-11-30T12:00:00Z", Exclusion::held_back,
        std::nullopt, true},
       {"43.0.1", "2026-12-04T09:00:00Z", std::nullopt, Exclusion::too_young, std::nullopt, true}});
  crypto.held = {{"pypi", "cryptography", "43.0.0", "test exited with 1", "2026-12-01T03:40:00Z"}};
  report.entries.push_back(crypto);
  // A package of the closure, listed apart with the named one it came through.
  ReportEntry idna =
      entry("pypi", "idna", "3.6", "3.7",
            {{"3.7", "2026-11-28T08:00:00Z", std::nullopt, Exclusion::none, std::nullopt, false}});
  idna.transitive = true;
  idna.via = {"requests"};
  report.entries.push_back(idna);
  ReportEntry requests = entry("pypi", "requests", "2.31.0", "2.31.0", {});
  requests.hold = "2.31.0";
  requests.newest = "2.32.3";
  report.entries.push_back(requests);
  data.pending = report;

  data.held = std::vector<HeldBack>{
      {"pypi", "cryptography", "43.0.0", "test exited with 1", "2026-12-01T03:40:00Z"},
      // Registry and log text: a pipe, a line break and HTML stay inside the cell.
      {"npm", "evil", "6.6.6", "exit 1 | <details><summary>pwned\nnext line",
       "2026-12-02T03:40:00Z"},
      {"npm", "evil", "6.6.7", std::nullopt, std::nullopt},
  };
  data.pins = {{"pypi", "requests", "2.31.0"}};
  data.runs = std::vector<HistoryRun>{
      {14, "run", "ok", at("2026-12-05T03:00:00Z"), at("2026-12-05T03:10:00Z"),
       R"({"changes": 14, "shipped": true, "pushed": true, "snapshot": "snapshots/ci-base.lock.json",)"
       R"( "culprits": [], "builds": 2, "message": "14 updates shipped"})"},
      {13, "check", "worse", at("2026-12-04T15:00:00Z"), at("2026-12-04T15:20:00Z"),
       R"({"changes": 2, "culprits": ["npm evil 6.6.6", "npm evil 6.6.7"], "builds": 5,)"
       R"( "message": "2 of 2 changes to blame"})"},
      {12, "run", "worse", at("2026-12-01T03:00:00Z"), at("2026-12-01T03:40:00Z"),
       R"({"changes": 3, "shipped": true, "pushed": true, "snapshot": null,)"
       R"( "culprits": ["pypi cryptography 43.0.0"], "builds": 7,)"
       R"( "message": "2 updates shipped, 1 change held back"})"},
      {11, "run", "interrupted", at("2026-11-30T03:00:00Z"), at("2026-12-01T03:00:00Z"),
       R"({"message": "interrupted"})"},
      {10, "run", "error", at("2026-11-29T03:00:00Z"), at("2026-11-29T03:01:00Z"), "not json"},
  };
  return data;
}

bool contains(const std::string& text, const std::string& part) {
  INFO(text);
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("dashboard: the first line says the state at a glance", "[dashboard]") {
  DashboardData data = full_dashboard();
  CHECK(publish::render_dashboard(data).starts_with(
      "### driftlock dashboard: `ci-base`\n\n"
      "**3 updates pending, 3 held back, 1 pinned; last run #14 (2026-12-05): 14 updates "
      "shipped.**\n"));

  data.pending.reset();
  data.pins.clear();
  data.runs->front().finished.reset();
  data.runs->front().status = "running";
  CHECK(contains(publish::render_dashboard(data),
                 "**3 held back; run #14 running since 2026-12-05T03:00:00Z.**\n"));

  data.runs->erase(data.runs->begin());
  CHECK(contains(publish::render_dashboard(data),
                 "**3 held back; last check #13 (2026-12-04): 2 of 2 changes to blame.**\n"));

  // A run without a message says its status.
  data.runs->front().summary = "{}";
  CHECK(contains(publish::render_dashboard(data),
                 "**3 held back; last check #13 (2026-12-04): culprits named.**\n"));

  DashboardData empty;
  empty.image = "x";
  CHECK(contains(publish::render_dashboard(empty), "**no snapshot yet; no runs recorded yet.**\n"));
  empty.pending = Report{};
  empty.held.emplace();
  CHECK(contains(publish::render_dashboard(empty),
                 "**no updates pending, nothing held back; no runs recorded yet.**\n"));
}

TEST_CASE("dashboard: each held culprit comes with the command that releases it", "[dashboard]") {
  const std::string md = publish::render_dashboard(full_dashboard());
  CHECK(contains(md,
                 "| pypi `cryptography` | 43.0.0 | 2026-12-01 | test exited with 1 | "
                 "`driftlock unhold pypi:cryptography` |\n"));
  // Two held releases of one dependency: one command each.
  CHECK(contains(md, "| npm `evil` | 6.6.7 | - | - | `driftlock unhold npm:evil=6.6.7` |\n"));
  CHECK(contains(md, "`driftlock unpin pypi:requests`"));
}

TEST_CASE("dashboard: registry text stays inside its cell", "[dashboard]") {
  const std::string md = publish::render_dashboard(full_dashboard());
  CHECK(
      contains(md,
               "| npm `evil` | 6.6.6 | 2026-12-02 | exit 1 \\| &lt;details>&lt;summary>pwned next "
               "line | `driftlock unhold npm:evil=6.6.6` |\n"));
  CHECK(!contains(md, "<details>"));
}

// Golden files: a full and an empty dashboard, byte for byte. Set
// DRIFTLOCK_UPDATE_GOLDEN=1 to rewrite them after a deliberate change.
TEST_CASE("dashboard: golden outputs", "[dashboard]") {
  // Before the first run: nothing pending, nothing held, no runs.
  DashboardData empty;
  empty.image = "ci-base";
  empty.generated = at("2026-12-05T04:00:00Z");
  empty.pending = Report{};
  empty.pending->image = "ci-base";
  empty.pending->entries.push_back(entry("npm", "lodash", "4.17.21", "4.17.21", {}));
  empty.held.emplace();
  struct Case {
    const char* file;
    DashboardData data;
  };
  const Case cases[] = {
      {"dashboard.md", full_dashboard()},
      {"dashboard_empty.md", empty},
  };
  for (const Case& c : cases) {
    const std::filesystem::path path =
        std::filesystem::path(DRIFTLOCK_TEST_DATA) / "golden" / c.file;
    const std::string out = publish::render_dashboard(c.data);
    if (std::getenv("DRIFTLOCK_UPDATE_GOLDEN")) driftlock::testing::write_text(path, out);
    INFO(c.file);
    CHECK(out == driftlock::testing::read_text(path));
  }
}

TEST_CASE("dashboard: the title names the image", "[dashboard]") {
  CHECK(publish::dashboard_title("ci-base") == "driftlock dashboard: ci-base");
}
