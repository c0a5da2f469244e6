// What `driftlock report` prints (the nightly cron's output): per dependency the
// newer releases, what the policy keeps out and why, manifest holds and the
// snapshot's held-back culprits, as text, JSON and Markdown, byte for byte.
#include "publish/report_render.hpp"

#include <catch2/catch.hpp>

#include "support/golden.hpp"

using namespace driftlock;
using namespace driftlock::publish;

namespace {

ReportRelease release(std::string version, std::optional<std::string> published,
                      Exclusion exclusion = Exclusion::none, bool major = false) {
  ReportRelease r;
  r.version = std::move(version);
  r.published = std::move(published);
  r.first_seen = "2026-11-25T03:00:00Z";
  r.exclusion = exclusion;
  r.major = major;
  return r;
}

ReportEntry entry(std::string ecosystem, std::string name, std::string range,
                  std::optional<std::string> current, std::string resolved) {
  ReportEntry e;
  e.ecosystem = std::move(ecosystem);
  e.name = std::move(name);
  e.range = std::move(range);
  e.current = std::move(current);
  e.resolved = resolved;
  e.newest = std::move(resolved);
  return e;
}

// A nightly report over every ecosystem: updates allowed and kept out (each
// exclusion), a major jump, a deprecated release, a manifest hold, held-back
// culprits with unicode and Markdown/HTML in their reasons, a new dependency,
// a moved OCI tag, registries without publish times (Debian versions with '~'
// side by side in one cell), a name with Markdown and HTML specials, and
// dependencies with nothing new.
Report drift() {
  Report report;
  report.image = "ci-image";
  report.generated = "2026-11-25T12:00:00Z";
  report.snapshot_created = "2026-11-01T03:00:00Z";

  ReportEntry libssl = entry("debian", "libssl3", "*", "3.0.11-1~deb12u2", "3.0.14-1~deb12u1");
  libssl.has_publish_times = false;
  libssl.newer = {release("3.0.13-1~deb12u1", std::nullopt, Exclusion::held_back),
                  release("3.0.14-1~deb12u1", std::nullopt)};
  libssl.held = {
      {"debian", "libssl3", "3.0.13-1~deb12u1", "test exited with 1", "2026-11-02T03:20:00Z"}};
  report.entries.push_back(libssl);

  ReportEntry tzdata = entry("debian", "tzdata", "*", "2024a-0+deb12u1", "2024a-0+deb12u1");
  tzdata.has_publish_times = false;
  report.entries.push_back(tzdata);

  ReportEntry node = entry("npm", "@types/node", "^20 || ^22", "20.11.5", "22.1.0");
  node.newer = {release("20.12.0", "2024-03-26T18:00:00Z"),
                release("22.0.0", "2024-04-24T09:00:00Z", Exclusion::held_back, true),
                release("22.1.0", "2024-08-01T10:00:00Z", Exclusion::none, true),
                release("22.2.0", "2026-11-24T22:00:00Z", Exclusion::too_young, true)};
  node.newer[0].deprecated = "use 20.12.1: broken <T> types | see *notes*";
  node.newer[3].first_seen = std::nullopt;
  node.held = {{"npm", "@types/node", "22.0.0",
                "fails test: \u201cESM\u2011only\u201d \u2014 <br> | *tsc* \U0001F4A5",
                "2026-11-01T03:10:00Z"}};
  report.entries.push_back(node);

  ReportEntry chalk = entry("npm", "chalk", "^4", "4.1.2", "4.1.2");
  chalk.hold = "4.1.2";
  chalk.newest = "4.1.3";
  chalk.newer = {release("4.1.3", "2026-10-01T10:00:00Z")};
  report.entries.push_back(chalk);

  ReportEntry left_pad = entry("npm", "left-pad", "^1.3", std::nullopt, "1.3.0");
  left_pad.newer = {release("1.3.0", "2018-04-09T00:00:00Z")};
  report.entries.push_back(left_pad);

  report.entries.push_back(entry("npm", "lodash", "^4.17", "4.17.21", "4.17.21"));

  ReportEntry python =
      entry("oci", "registry.example:5000/team/python", "3.12-slim", "3.12-slim", "3.12-slim");
  python.has_publish_times = false;
  python.redigested = true;
  report.entries.push_back(python);

  ReportEntry odd = entry("pypi", "na\u00efve|<b>pkg</b>*_x_", ">=1", "1.0", "1.0");
  odd.newer = {release("1.1", "2026-11-20T08:00:00Z", Exclusion::yanked)};
  report.entries.push_back(odd);

  ReportEntry typing = entry("pypi", "typing_extensions", ">=4.9", "4.9.0", "4.12.2");
  typing.newer = {release("4.10.0", "2024-02-25T00:00:00Z"),
                  release("4.11.0", "2024-04-05T00:00:00Z"),
                  release("4.12.2", "2024-06-07T00:00:00Z"),
                  release("4.13.0", std::nullopt, Exclusion::no_publish_time)};
  report.entries.push_back(typing);
  return report;
}

// Resolved as of a moment: later releases are kept out, and the headline says so.
Report as_of() {
  Report report;
  report.image = "ci-image";
  report.generated = "2026-11-25T12:00:00Z";
  report.as_of = "2026-06-30T00:00:00Z";
  report.snapshot_created = "2026-06-01T03:00:00Z";
  ReportEntry tox = entry("pypi", "tox", "~=4.0", "4.11.3", "4.15.1");
  tox.newer = {release("4.15.1", "2026-06-03T00:00:00Z"),
               release("4.16.0", "2026-07-04T00:00:00Z", Exclusion::after_as_of)};
  report.entries.push_back(tox);
  return report;
}

// Nothing new anywhere: every dependency is up to date.
Report no_drift() {
  Report report;
  report.image = "ci-image";
  report.generated = "2026-11-25T12:00:00Z";
  report.snapshot_created = "2026-11-25T03:00:00Z";
  report.entries = {entry("npm", "chalk", "^4", "4.1.2", "4.1.2"),
                    entry("pypi", "attrs", ">=24", "24.2.0", "24.2.0")};
  return report;
}

// A snapshot with its closure: the named dependencies, then the packages
// nobody named with the named ones they came through (or none known), one
// up to date, one whose via holds Markdown specials.
Report transitive() {
  Report report;
  report.image = "ci-image";
  report.generated = "2026-11-25T12:00:00Z";
  report.snapshot_created = "2026-11-01T03:00:00Z";
  ReportEntry alpha = entry("npm", "hx-alpha", "^1", "1.0.0", "1.0.0");
  report.entries.push_back(alpha);
  ReportEntry lib = entry("npm", "hx-lib", "*", "1.0.0", "1.1.0");
  lib.transitive = true;
  lib.via = {"hx-alpha", "hx-beta"};
  lib.newer = {release("1.1.0", "2026-11-20T08:00:00Z")};
  report.entries.push_back(lib);
  ReportEntry odd = entry("npm", "hx-odd", "*", "0.1.0", "0.2.0");
  odd.transitive = true;
  odd.via = {"a|b", "`c`"};
  odd.newer = {release("0.2.0", "2026-11-21T08:00:00Z")};
  report.entries.push_back(odd);
  ReportEntry greet = entry("pypi", "dl-greet", ">=1", "1.0.0", "1.1.0");
  greet.newer = {release("1.1.0", "2026-11-22T08:00:00Z")};
  report.entries.push_back(greet);
  ReportEntry sub = entry("pypi", "dl-sub", "*", "1.0.0", "2.0.0");
  sub.transitive = true;
  sub.via = {"dl-greet"};
  sub.newer = {release("2.0.0", "2026-11-23T08:00:00Z", Exclusion::none, true)};
  sub.held = {{"pypi", "dl-sub", "1.5.0", "test exited with 1", "2026-11-10T03:00:00Z"}};
  report.entries.push_back(sub);
  ReportEntry quiet = entry("pypi", "dl-util", "*", "0.3", "0.3");
  quiet.transitive = true;
  quiet.via = {"dl-greet"};
  report.entries.push_back(quiet);
  ReportEntry unknown = entry("pypi", "dl-zeta", "*", "3.0", "3.1");
  unknown.transitive = true;
  unknown.newer = {release("3.1", "2026-11-24T08:00:00Z")};
  report.entries.push_back(unknown);
  return report;
}

// A manifest without dependencies and no snapshot yet.
Report empty() {
  Report report;
  report.image = "ci-image";
  report.generated = "2026-11-25T12:00:00Z";
  return report;
}

}  // namespace

// Golden files: every format of each report, byte for byte (DRIFTLOCK_UPDATE_GOLDEN=1
// rewrites them after a deliberate change).
TEST_CASE("report: golden outputs", "[publish][report][golden]") {
  struct Case {
    const char* file;
    Report report;
    OutputFormat format;
    Color color;
  };
  const Case cases[] = {
      {"report_drift.txt", drift(), OutputFormat::text, Color::never},
      {"report_drift_color.txt", drift(), OutputFormat::text, Color::always},
      {"report_drift.json", drift(), OutputFormat::json, Color::never},
      {"report_drift.md", drift(), OutputFormat::markdown, Color::never},
      {"report_as_of.txt", as_of(), OutputFormat::text, Color::never},
      {"report_as_of.json", as_of(), OutputFormat::json, Color::never},
      {"report_as_of.md", as_of(), OutputFormat::markdown, Color::never},
      {"report_no_drift.txt", no_drift(), OutputFormat::text, Color::never},
      {"report_no_drift.json", no_drift(), OutputFormat::json, Color::never},
      {"report_no_drift.md", no_drift(), OutputFormat::markdown, Color::never},
      {"report_empty.txt", empty(), OutputFormat::text, Color::never},
      {"report_empty.json", empty(), OutputFormat::json, Color::never},
      {"report_empty.md", empty(), OutputFormat::markdown, Color::never},
      {"report_transitive.txt", transitive(), OutputFormat::text, Color::never},
      {"report_transitive.json", transitive(), OutputFormat::json, Color::never},
      {"report_transitive.md", transitive(), OutputFormat::markdown, Color::never},
  };
  for (const Case& c : cases) {
    driftlock::testing::check_golden(c.file, render_report(c.report, c.format, c.color));
  }
}

TEST_CASE("report: the closure's packages are listed apart, with their via", "[publish][report]") {
  const Report report = transitive();
  const std::string text = render_report(report, OutputFormat::text, Color::never);
  CHECK(text.find("\ntransitive packages (not named in the manifest):\n\nnpm hx-lib  1.0.0 -> "
                  "1.1.0  (via hx-alpha, hx-beta)\n") != std::string::npos);
  CHECK(text.find("pypi dl-zeta  3.0 -> 3.1  (transitive)\n") != std::string::npos);
  // The named dependencies come first, whatever their ecosystem.
  CHECK(text.find("pypi dl-greet") < text.find("transitive packages"));

  const std::string markdown = render_report(report, OutputFormat::markdown, Color::never);
  CHECK(markdown.find("| pypi `dl-sub` | `dl-greet` | 1.0.0 | 2.0.0 |") != std::string::npos);
  CHECK(markdown.find("| pypi `dl-zeta` | - | 3.0 | 3.1 |") != std::string::npos);

  // Without a closure nothing changes: no heading, no new keys.
  const std::string direct_only = render_report(drift(), OutputFormat::markdown, Color::never);
  CHECK(direct_only.find("Direct updates") == std::string::npos);
  CHECK(render_report(drift(), OutputFormat::json, Color::never).find("\"via\"") ==
        std::string::npos);
}
