#include "publish/diff_render.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/fake_ecosystems.hpp"

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
