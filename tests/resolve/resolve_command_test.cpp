// `driftlock resolve` and `driftlock report` end to end in-process, against
// the loopback server serving recorded-shape npm and PyPI documents.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/main.hpp"
#include "exec/temp_dir.hpp"
#include "support/loopback_server.hpp"
#include "support/text_files.hpp"

using namespace driftlock;
using driftlock::testing::LoopbackServer;
using driftlock::testing::make_reply;
using driftlock::testing::read_text;
using driftlock::testing::TempDir;
using driftlock::testing::write_text;

namespace {

std::string fixture(const std::string& relative) {
  return read_text(std::filesystem::path(DRIFTLOCK_TEST_DATA) / "registry" / relative);
}

struct Outcome {
  int code;
  std::string out, err;
};

Outcome driftlock_cli(std::vector<std::string> args, const std::string& now) {
  std::ostringstream out, err;
  FixedClock clock(*parse_timestamp(now));
  int code = cli::run(args, out, err, clock);
  return {code, out.str(), err.str()};
}

// A registry serving chalk (npm, both document forms) and requests (PyPI),
// with ETags so a second run can revalidate.
struct Registry {
  LoopbackServer server;
  Registry() {
    server.route("/chalk", [](const testing::ReceivedRequest& request, int) {
      const bool abbreviated =
          request.header("accept").value_or("").starts_with("application/vnd.npm.install-v1");
      std::string etag = abbreviated ? "\"chalk-a\"" : "\"chalk-f\"";
      if (request.header("if-none-match") == etag) return make_reply(304, "");
      return make_reply(200,
                        fixture(abbreviated ? "npm/chalk.abbreviated.json" : "npm/chalk.full.json"),
                        "application/json", {{"ETag", etag}});
    });
    server.conditional("/pypi/requests/json", "\"requests-1\"", "Tue, 24 Nov 2026 10:00:00 GMT",
                       fixture("pypi/requests.json"));
  }
};

std::string manifest_text(const Registry& registry, const std::string& extra = "") {
  return "image = \"demo\"\nsnapshot = \"snapshots/demo.lock.json\"\n\n[registries]\nnpm = \"" +
         registry.server.url("") + "\"\npypi = \"" + registry.server.url("") +
         "\"\n\n[dependencies.npm]\nchalk = \"^4\"\n\n[dependencies.pypi]\nrequests = \"*\"\n" +
         extra;
}

constexpr std::string_view kSnapshot = R"({
  "format": "driftlock-snapshot",
  "version": 1,
  "image": "demo",
  "created": "2026-11-01T03:00:00Z",
  "dependencies": [
    {"ecosystem": "npm", "name": "chalk", "version": "4.1.0"},
    {"ecosystem": "pypi", "name": "requests", "version": "2.31.0"}
  ],
  "held": [
    {"ecosystem": "npm", "name": "chalk", "version": "5.0.0", "reason": "fails test: ESM-only", "since": "2026-11-01T03:10:00Z"}
  ]
}
)";

}  // namespace

TEST_CASE("resolve writes the newest allowed releases as a lock and revalidates next time") {
  Registry registry;
  TempDir dir;
  write_text(dir.path() / "driftlock.toml", manifest_text(registry));
  write_text(dir.path() / "snapshots/demo.lock.json", std::string(kSnapshot));
  const std::string manifest = (dir.path() / "driftlock.toml").string();
  const std::string lock = (dir.path() / "out.lock.json").string();

  Outcome first = driftlock_cli({"resolve", "-m", manifest, "-o", lock}, "2026-11-25T12:00:00Z");
  INFO(first.err);
  REQUIRE(first.code == 0);
  auto written = nlohmann::json::parse(read_text(lock));
  CHECK(written["image"] == "demo");
  CHECK(written["created"] == "2026-11-25T12:00:00Z");
  REQUIRE(written["dependencies"].size() == 2);
  CHECK(written["dependencies"][0]["name"] == "chalk");
  CHECK(written["dependencies"][0]["version"] == "4.1.2");
  CHECK(written["dependencies"][1]["name"] == "requests");
  // 2.32.0 is yanked entirely, 3.0.0b1 a pre-release: 2.32.3 is the newest allowed.
  CHECK(written["dependencies"][1]["version"] == "2.32.3");
  CHECK(written["held"].size() == 1);
  CHECK(first.out.find("upgraded") != std::string::npos);

  // Without publish times needed, npm gets the abbreviated document.
  auto chalk_requests = registry.server.requests("/chalk");
  REQUIRE(chalk_requests.size() == 1);
  CHECK(chalk_requests[0].header("accept").value_or("").starts_with(
      "application/vnd.npm.install-v1+json"));

  Outcome second = driftlock_cli({"resolve", "-m", manifest}, "2026-11-25T13:00:00Z");
  REQUIRE(second.code == 0);
  CHECK(second.out == first.out);
  chalk_requests = registry.server.requests("/chalk");
  REQUIRE(chalk_requests.size() == 2);
  CHECK(chalk_requests[1].header("if-none-match") == "\"chalk-a\"");
  auto pypi_requests = registry.server.requests("/pypi/requests/json");
  REQUIRE(pypi_requests.size() == 2);
  CHECK(pypi_requests[1].header("if-none-match") == "\"requests-1\"");
}

TEST_CASE("resolve -o - prints the lock; --as-of travels back in time") {
  Registry registry;
  TempDir dir;
  write_text(dir.path() / "driftlock.toml", manifest_text(registry));
  const std::string manifest = (dir.path() / "driftlock.toml").string();

  Outcome result =
      driftlock_cli({"resolve", "-m", manifest, "-o", "-", "--as-of", "2021-05-01T00:00:00Z"},
                    "2026-11-25T12:00:00Z");
  INFO(result.err);
  REQUIRE(result.code == 0);
  auto lock = nlohmann::json::parse(result.out);
  CHECK(lock["dependencies"][0]["version"] == "4.1.1");
  CHECK(lock["dependencies"][0]["published"] == "2021-04-21T11:54:59Z");
  CHECK(lock["dependencies"][1]["version"] == "0.2.1");
  // Publish times were needed: the full npm document.
  CHECK(registry.server.requests("/chalk")[0].header("accept") == "application/json");

  Outcome bad =
      driftlock_cli({"resolve", "-m", manifest, "--as-of", "yesterday"}, "2026-11-25T12:00:00Z");
  CHECK(bad.code == 2);
  CHECK(bad.err.starts_with("driftlock: error: --as-of: "));
}

TEST_CASE("resolve fails with exit 3 naming each failed dependency and writes nothing") {
  Registry registry;
  registry.server.failing("/pypi/broken/json", 503, LoopbackServer::always);
  TempDir dir;
  write_text(dir.path() / "driftlock.toml",
             manifest_text(registry, "broken = \"*\"\nmissing = \"*\"\n"));
  const std::string manifest = (dir.path() / "driftlock.toml").string();
  const auto lock = dir.path() / "out.lock.json";

  Outcome result =
      driftlock_cli({"resolve", "-m", manifest, "-o", lock.string()}, "2026-11-25T12:00:00Z");
  CHECK(result.code == 3);
  CHECK_FALSE(std::filesystem::exists(lock));
  CHECK(result.out.empty());
  INFO(result.err);
  CHECK(result.err.find("2 dependencies could not be resolved; nothing was written") !=
        std::string::npos);
  CHECK(result.err.find("broken") != std::string::npos);
  CHECK(result.err.find("503") != std::string::npos);
  CHECK(result.err.find("missing") != std::string::npos);
  CHECK(result.err.find("not found") != std::string::npos);
}

TEST_CASE("resolve: a range nothing satisfies is an input error at the manifest line") {
  Registry registry;
  TempDir dir;
  std::string text = manifest_text(registry);
  text.replace(text.find("chalk = \"^4\""), 12, "chalk = \"^9\"");
  write_text(dir.path() / "driftlock.toml", text);
  Outcome result = driftlock_cli({"resolve", "-m", (dir.path() / "driftlock.toml").string()},
                                 "2026-11-25T12:00:00Z");
  CHECK(result.code == 2);
  INFO(result.err);
  CHECK(result.err.find("driftlock.toml:9:1: npm chalk: no release satisfies '^9' (newest "
                        "release: 5.4.0-beta.1)") != std::string::npos);
}

TEST_CASE("report lists the releases since the snapshot with dates and what is held") {
  Registry registry;
  TempDir dir;
  write_text(dir.path() / "driftlock.toml", manifest_text(registry));
  write_text(dir.path() / "snapshots/demo.lock.json", std::string(kSnapshot));
  const std::string manifest = (dir.path() / "driftlock.toml").string();

  Outcome json =
      driftlock_cli({"report", "-m", manifest, "--format", "json"}, "2026-11-25T12:00:00Z");
  INFO(json.err);
  REQUIRE(json.code == 0);
  auto report = nlohmann::json::parse(json.out);
  CHECK(report["format"] == "driftlock-report");
  CHECK(report["summary"]["with_updates"] == 2);
  const auto& chalk = report["dependencies"][0];
  CHECK(chalk["current"] == "4.1.0");
  CHECK(chalk["resolved"] == "4.1.2");
  // 4.1.3 is in `time` but not in `versions`: unpublished, shown as yanked.
  REQUIRE(chalk["releases"].size() == 3);
  CHECK(chalk["releases"][2]["version"] == "4.1.3");
  CHECK(chalk["releases"][2]["excluded"] == "yanked");
  CHECK(chalk["releases"][0]["version"] == "4.1.1");
  CHECK(chalk["releases"][0]["published"] == "2021-04-21T11:54:59Z");
  CHECK(chalk["releases"][0]["first_seen"] == "2026-11-25T12:00:00Z");
  CHECK(chalk["releases"][1]["major"] == false);
  CHECK(chalk["held"][0]["reason"] == "fails test: ESM-only");
  const auto& requests = report["dependencies"][1];
  CHECK(requests["resolved"] == "2.32.3");
  std::vector<std::string> versions, excluded;
  for (const auto& r : requests["releases"]) {
    versions.push_back(r["version"]);
    excluded.push_back(r["excluded"].is_null() ? "" : std::string(r["excluded"]));
  }
  CHECK(versions == std::vector<std::string>{"2.32.0", "2.32.1", "2.32.3"});
  CHECK(excluded == std::vector<std::string>{"yanked", "", ""});

  Outcome text = driftlock_cli({"report", "-m", manifest}, "2026-11-26T12:00:00Z");
  REQUIRE(text.code == 0);
  CHECK(text.out.starts_with(
      "driftlock report for image demo: 2 of 2 dependencies have new releases\n"));
  CHECK(text.out.find("npm chalk  4.1.0 -> 4.1.2  (range ^4)") != std::string::npos);
  CHECK(text.out.find("2.32.0           published 2024-05-20, first seen 2026-11-25 [not taken: "
                      "yanked]") != std::string::npos);
  CHECK(text.out.find("note: 5.0.0 held back: fails test: ESM-only") != std::string::npos);

  Outcome markdown =
      driftlock_cli({"report", "-m", manifest, "--format", "markdown"}, "2026-11-26T12:00:00Z");
  REQUIRE(markdown.code == 0);
  CHECK(markdown.out.find("| npm `chalk` | 4.1.0 | 4.1.2 |") != std::string::npos);
}

TEST_CASE("resolve tracks the snapshot's transitive packages; one the registry lacks is kept") {
  Registry registry;
  registry.server.route("/pypi/ghost-lib/json", [](const testing::ReceivedRequest&, int) {
    return make_reply(404, R"({"message": "Not Found"})", "application/json");
  });
  TempDir dir;
  // The manifest names chalk only: requests and ghost-lib came with the closure.
  write_text(dir.path() / "driftlock.toml",
             "image = \"demo\"\nsnapshot = \"snapshots/demo.lock.json\"\n\n[registries]\nnpm = \"" +
                 registry.server.url("") + "\"\npypi = \"" + registry.server.url("") +
                 "\"\n\n[dependencies.npm]\nchalk = \"^4\"\n");
  write_text(dir.path() / "snapshots/demo.lock.json", R"({
  "format": "driftlock-snapshot",
  "version": 1,
  "image": "demo",
  "created": "2026-11-01T03:00:00Z",
  "dependencies": [
    {"ecosystem": "npm", "name": "chalk", "version": "4.1.0"},
    {"ecosystem": "pypi", "name": "ghost-lib", "version": "0.3", "transitive": true},
    {"ecosystem": "pypi", "name": "requests", "version": "2.31.0", "transitive": true}
  ],
  "held": []
}
)");
  const std::string manifest = (dir.path() / "driftlock.toml").string();
  const std::string lock = (dir.path() / "out.lock.json").string();
  Outcome result = driftlock_cli({"resolve", "-m", manifest, "-o", lock}, "2026-11-25T12:00:00Z");
  INFO(result.err);
  REQUIRE(result.code == 0);
  CHECK(
      result.err.find("driftlock: warning: pypi ghost-lib (transitive) kept at 0.3 as captured:") !=
      std::string::npos);
  auto written = nlohmann::json::parse(read_text(lock));
  REQUIRE(written["dependencies"].size() == 3);
  CHECK(written["dependencies"][0]["name"] == "chalk");
  CHECK(!written["dependencies"][0].contains("transitive"));
  CHECK(written["dependencies"][1]["name"] == "ghost-lib");
  CHECK(written["dependencies"][1]["version"] == "0.3");
  CHECK(written["dependencies"][1]["transitive"] == true);
  CHECK(written["dependencies"][2]["name"] == "requests");
  CHECK(written["dependencies"][2]["version"] == "2.32.3");  // drifts like a named one
  CHECK(written["dependencies"][2]["transitive"] == true);
}
