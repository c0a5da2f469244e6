#include "publish/diff_render.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "ecosystems/registry.hpp"
#include "support/fake_ecosystems.hpp"
#include "support/golden.hpp"

using namespace driftlock;
using namespace driftlock::publish;

namespace {

Diff sample() {
  Snapshot a, b;
  a.dependencies = {
      {"npm", "chalk", "4.1.2", "sha512-old", std::nullopt},
      {"oci", "127.0.0.1:5000/base", "1", "sha256:aaaaaaaaaaaaaaaaaaaaaaaa", std::nullopt},
      {"pypi", "tox", "4.9", std::nullopt, std::nullopt}};
  b.dependencies = {
      {"npm", "chalk", "5.3.0", "sha512-new", std::nullopt},
      {"oci", "127.0.0.1:5000/base", "1", "sha256:bbbbbbbbbbbbbbbbbbbbbbbb", std::nullopt},
      {"pypi", "new|pipe", "1.0", std::nullopt, std::nullopt},
      {"pypi", "tox", "4.10", std::nullopt, std::nullopt}};
  b.held = {{"npm", "chalk", "5.3.0", "fails test: ESM-only", "2026-11-25T03:10:00Z"}};
  auto d = diff_snapshots(a, b, driftlock::testing::fake_ecosystems());
  REQUIRE(d);
  return *d;
}

}  // namespace

TEST_CASE("diff text is aligned", "[publish][diff]") {
  CHECK(
      render_diff_text(sample(), Color::never) ==
      "4 changes: 2 upgraded, 1 added, 1 redigested\n"
      "  npm   chalk                4.1.2                    -> 5.3.0                   upgraded "
      "(major)\n"
      "  oci   127.0.0.1:5000/base  1 sha256:aaaaaaaaaaaa... -> sha256:bbbbbbbbbbbb...  redigested "
      "(re-published artifact)\n"
      "  pypi  new|pipe             -                        -> 1.0                     added\n"
      "  pypi  tox                  4.9                      -> 4.10                    upgraded\n"
      "held back:\n"
      "  npm chalk 5.3.0 (added): fails test: ESM-only\n");
  CHECK(render_diff_text(Diff{}, Color::never) == "no changes\n");
}

TEST_CASE("diff text colours only when asked", "[publish][diff]") {
  CHECK(render_diff_text(sample(), Color::always).find("\x1b[36mupgraded (major)\x1b[0m") !=
        std::string::npos);
  CHECK(render_diff_text(sample(), Color::never).find('\x1b') == std::string::npos);
}

TEST_CASE("diff JSON is stable", "[publish][diff]") {
  auto j = nlohmann::json::parse(render_diff_json(sample()));
  CHECK(j["format"] == "driftlock-diff");
  CHECK(j["version"] == 1);
  CHECK(j["summary"]["changes"] == 4);
  CHECK(j["summary"]["upgraded"] == 2);
  CHECK(j["summary"]["held"] == 1);
  CHECK(j["changes"][0] == nlohmann::json::parse(R"({"kind": "upgraded", "ecosystem": "npm",
      "name": "chalk", "from": "4.1.2", "to": "5.3.0", "from_digest": "sha512-old",
      "to_digest": "sha512-new", "major": true})"));
  CHECK(j["changes"][2]["from"].is_null());
  CHECK(j["held"][0]["status"] == "added");
  // Key order is part of the format.
  CHECK(render_diff_json(Diff{}) == R"({
  "format": "driftlock-diff",
  "version": 1,
  "summary": {
    "changes": 0,
    "added": 0,
    "removed": 0,
    "upgraded": 0,
    "downgraded": 0,
    "redigested": 0,
    "held": 0
  },
  "changes": [],
  "held": []
}
)");
}

TEST_CASE("diff Markdown escapes table cells", "[publish][diff]") {
  std::string md = render_diff_markdown(sample());
  CHECK(
      md.starts_with("**driftlock:** 4 changes: 2 upgraded, 1 added, 1 redigested\n\n"
                     "| Ecosystem | Package | From | To | Change |\n|---|---|---|---|---|\n"
                     "| npm | `chalk` | 4.1.2 | 5.3.0 | upgraded (major) |\n"));
  CHECK(md.find("`new\\|pipe`") != std::string::npos);
  CHECK(md.find("| npm `chalk` | 5.3.0 | added | fails test: ESM-only |") != std::string::npos);
}

namespace {

const std::string kDigestA = "sha256:" + std::string(64, 'a');
const std::string kDigestB = "sha256:" + std::string(64, 'b');
const std::string kDigestC = "sha256:" + std::string(64, 'c');

// A night's drift over every ecosystem with the real version schemes: each kind
// of change, a major jump, a Debian tilde, a moved OCI tag, a name with Markdown
// and HTML specials (only '|' is a Markdown table's business), unicode reasons,
// and each held status.
Diff golden_sample() {
  Snapshot before, after;
  before.dependencies = {
      {"debian", "libssl3", "3.0.11-1~deb12u2", std::nullopt, std::nullopt},
      {"debian", "tzdata", "2024a-0+deb12u1", std::nullopt, std::nullopt},
      {"npm", "@types/node", "20.11.5", "sha512-T1d+old==", "2024-01-17T10:00:00Z"},
      {"npm", "chalk", "4.1.2", "sha512-Ch4+old==", "2021-07-30T12:00:00Z"},
      {"oci", "registry.example:5000/team/python", "3.12-slim", kDigestA, std::nullopt},
      {"pypi", "typing_extensions", "4.9.0", "sha256:" + std::string(64, 'd'), std::nullopt},
  };
  after.dependencies = {
      {"debian", "libssl3", "3.0.13-1~deb12u1", std::nullopt, std::nullopt},
      {"npm", "@types/node", "22.1.0", "sha512-T1d+new==", "2024-08-01T10:00:00Z"},
      {"npm", "chalk", "4.1.1", "sha512-Ch4+older==", "2021-04-21T11:54:59Z"},
      {"npm", "left-pad", "1.3.0", std::nullopt, std::nullopt},
      {"oci", "registry.example:5000/team/python", "3.12-slim", kDigestB, std::nullopt},
      {"pypi", "na\u00efve|<b>pkg</b>*_x_", "1.0rc1", std::nullopt, std::nullopt},
      {"pypi", "typing_extensions", "4.12.2", std::nullopt, std::nullopt},
  };
  const HeldBack kept{"debian", "libssl3", "3.0.12-1~deb12u1", std::nullopt,
                      "2026-10-02T03:00:00Z"};
  before.held = {
      kept,
      {"oci", "registry.example:5000/team/python", kDigestC, "test exited with 1",
       "2026-09-30T03:12:00Z"},
  };
  after.held = {
      kept,
      {"npm", "@types/node", "22.0.0",
       "fails test: \u201cESM\u2011only\u201d \u2014 <br> | *tsc* \U0001F4A5",
       "2026-11-25T03:10:00Z"},
  };
  auto d = diff_snapshots(before, after, ecosystems::all());
  REQUIRE(d);
  return *d;
}

// Only the held-back versions moved: the text still says there is nothing to build.
Diff golden_held_only() {
  Snapshot before, after;
  before.dependencies =
      after.dependencies = {{"npm", "chalk", "4.1.2", std::nullopt, std::nullopt}};
  after.held = {{"npm", "chalk", "5.3.0", "fails test: ESM-only", "2026-11-25T03:10:00Z"}};
  auto d = diff_snapshots(before, after, ecosystems::all());
  REQUIRE(d);
  return *d;
}

}  // namespace

// Golden files: every format of each diff, byte for byte (DRIFTLOCK_UPDATE_GOLDEN=1
// rewrites them after a deliberate change).
TEST_CASE("diff: golden outputs", "[publish][diff][golden]") {
  struct Case {
    const char* file;
    Diff diff;
    OutputFormat format;
    Color color;
  };
  const Case cases[] = {
      {"diff_drift.txt", golden_sample(), OutputFormat::text, Color::never},
      {"diff_drift_color.txt", golden_sample(), OutputFormat::text, Color::always},
      {"diff_drift.json", golden_sample(), OutputFormat::json, Color::never},
      {"diff_drift.md", golden_sample(), OutputFormat::markdown, Color::never},
      {"diff_held_only.txt", golden_held_only(), OutputFormat::text, Color::never},
      {"diff_held_only.json", golden_held_only(), OutputFormat::json, Color::never},
      {"diff_held_only.md", golden_held_only(), OutputFormat::markdown, Color::never},
      {"diff_none.txt", Diff{}, OutputFormat::text, Color::always},
      {"diff_none.json", Diff{}, OutputFormat::json, Color::never},
      {"diff_none.md", Diff{}, OutputFormat::markdown, Color::never},
  };
  for (const Case& c : cases) {
    driftlock::testing::check_golden(c.file, render_diff(c.diff, c.format, c.color));
  }
}
