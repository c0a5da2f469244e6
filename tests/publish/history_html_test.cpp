// `driftlock history --html`: the page's renderer (escaping, old summaries,
// rounds, an empty history), writing it from a state folder, and the page as
// headless Chromium lays it out, from a state database that real pipeline
// runs wrote in-process.
#include "publish/history_html.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <tuple>

#include "cli/history_html.hpp"
#include "exec/process_runner.hpp"
#include "exec/temp_dir.hpp"
#include "pipeline/prober.hpp"
#include "pipeline/world.hpp"
#include "store/history.hpp"
#include "store/probes.hpp"
#include "store/runs.hpp"
#include "store/schema.hpp"
#include "support/text_files.hpp"

using namespace driftlock;
using namespace std::chrono_literals;
using driftlock::testing::read_text;
using driftlock::testing::TempDir;
using driftlock::testing::World;
using driftlock::testing::write_text;

namespace {

const Timestamp kT0 = *parse_timestamp("2025-11-25T03:00:00Z");

// How often `needle` occurs in `haystack`.
std::size_t occurrences(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string_view::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

publish::HistoryRun run_of(std::int64_t id, std::string summary, std::string status = "worse") {
  return {id,
          "run",
          std::move(status),
          kT0 + std::chrono::hours(id),
          kT0 + std::chrono::hours(id) + 42min,
          std::move(summary)};
}

publish::HistoryProbe probe(std::int64_t seq, std::vector<std::size_t> subset, Outcome outcome,
                            std::optional<int> round, int attempt = 0, bool built = true) {
  return {seq, std::move(subset), attempt, outcome, "culprit search", built, round};
}

// Registry text at its worst: markup, quotes, ampersands.
constexpr std::string_view kHostile = R"(<script>alert("x")</script> & 'q')";
constexpr std::string_view kHostileEscaped =
    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;";

}  // namespace

TEST_CASE("HTML escaping", "[history-html]") {
  CHECK(publish::escape_html(kHostile) == kHostileEscaped);
  CHECK(publish::escape_html("a\x01"
                             "b\tc\n") ==
        "a\uFFFD"
        "b\tc\n");
  CHECK(publish::escape_html("npm caf\xc3\xa9 1.0 -> 2.0") == "npm caf\xc3\xa9 1.0 -&gt; 2.0");
}

TEST_CASE("an empty history says there are no runs yet", "[history-html]") {
  publish::HistoryPage page;
  page.image = "demo";
  const std::string html = publish::render_history_html(page);
  CHECK(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
  CHECK(html.find("<title>driftlock history: demo</title>") != std::string::npos);
  CHECK(html.find("No runs yet") != std::string::npos);
  CHECK(html.find("Nothing held back (no snapshot yet).") != std::string::npos);
  CHECK(html.find("<svg") == std::string::npos);
  CHECK(html.ends_with("</html>\n"));
}

TEST_CASE("registry text is escaped everywhere it appears", "[history-html]") {
  const std::string hostile(kHostile);
  nlohmann::json summary;
  summary["changes"] = 2;
  summary["culprits"] = {"pypi " + hostile + " 2.0"};
  summary["builds"] = 3;
  summary["message"] = "held back: " + hostile;
  summary["change_list"] = {"pypi " + hostile + " 1.0 -> 2.0", "pypi requests 2.31.0 -> 2.32.0"};
  summary["culprit_indices"] = {0};

  publish::HistoryPage page;
  page.image = hostile;
  page.history.state = true;
  page.history.runs.push_back(run_of(1, summary.dump()));
  page.history.culprits.push_back({1, "pypi", hostile, hostile, hostile, kT0});
  page.history.snapshot = true;
  page.history.held.push_back({"pypi", hostile, hostile, hostile, hostile});
  page.probes[1] = {probe(1, {}, Outcome::pass, 0), probe(2, {0, 1}, Outcome::fail, 0),
                    probe(3, {1}, Outcome::pass, 1)};
  page.probes[1][1].purpose = hostile;

  const std::string html = publish::render_history_html(page);
  // The page's own markup has no script, no image and no link out of it.
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find(" src=") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("Content-Security-Policy\" content=\"default-src 'none'; style-src "
                  "'unsafe-inline'\"") != std::string::npos);
  // Every place the text shows up, escaped: title, heading, timeline,
  // picture rows, probe list, culprits and held-back tables.
  CHECK(occurrences(html, kHostile) == 0);
  CHECK(occurrences(html, "\"x\")") == 0);
  CHECK(occurrences(html, kHostileEscaped) >= 10);
  CHECK(html.find("pypi requests 2.31.0 \u2192 2.32.0") != std::string::npos);
}

TEST_CASE("a search's picture: rounds, memo, re-runs and the blame", "[history-html]") {
  nlohmann::json summary;
  summary["changes"] = 4;
  summary["culprits"] = {"npm c 1.1.0"};
  summary["builds"] = 6;
  summary["message"] = "3 updates shipped, 1 change held back";
  summary["change_list"] = {"npm a 1.0.0 -> 1.1.0", "npm b 1.0.0 -> 1.1.0", "npm c 1.0.0 -> 1.1.0",
                            "npm d 1.0.0 -> 1.1.0"};
  summary["culprit_indices"] = {2};
  summary["suspected_indices"] = nlohmann::json::array();
  summary["unresolved_indices"] = nlohmann::json::array();

  publish::HistoryPage page;
  page.image = "demo";
  page.history.state = true;
  page.history.runs.push_back(run_of(7, summary.dump()));
  page.probes[7] = {
      probe(1, {}, Outcome::pass, 0),                // baseline
      probe(2, {0, 1, 2, 3}, Outcome::fail, 0),      // full candidate
      probe(3, {0, 1}, Outcome::pass, 1, 0, false),  // round 1, from the memo
      probe(4, {0, 1, 2}, Outcome::fail, 1),         // round 1, in parallel
      probe(5, {0, 1, 2}, Outcome::fail, 2, 1),      // round 2: confirmation
      probe(6, {0, 1, 3}, Outcome::pass, 0),         // the rest, outside the search
  };
  const std::string html = publish::render_history_html(page);

  CHECK(occurrences(html, "<svg") == 2);  // the drift chart and this run's picture
  CHECK(occurrences(html, "<title") >= 3);
  CHECK(html.find("<title id=\"probes-7-title\">Run #7: which changes each probe built, by "
                  "round</title>") != std::string::npos);
  // One filled cell per change in a subset: 0 + 4 + 2 + 3 + 3 + 3.
  CHECK(occurrences(html, "<rect class=\"cell") == 15);
  CHECK(occurrences(html, "<rect class=\"cell memo\"") == 2);
  // Round groups: outside, R1, R2, outside again.
  CHECK(occurrences(html, "<g class=\"round\"><title>round 1</title>") == 1);
  CHECK(occurrences(html, "<g class=\"round\"><title>round 2</title>") == 1);
  CHECK(occurrences(html, "<g class=\"round\"><title>outside the culprit search</title>") == 2);
  CHECK(html.find(">R1</text>") != std::string::npos);
  CHECK(html.find(">R2</text>") != std::string::npos);
  CHECK(occurrences(html, "<g class=\"probe fail\">") == 3);
  CHECK(occurrences(html, "<g class=\"probe pass\">") == 3);
  CHECK(html.find("probe 3 (round 1): pass, recalled from the memo: culprit search") !=
        std::string::npos);
  CHECK(html.find("probe 5 (round 2): fail, confirmation re-run 1") != std::string::npos);
  CHECK(html.find(">r1</text>") != std::string::npos);
  CHECK(html.find(">m</text>") != std::string::npos);
  // Blame: c is the culprit, a b d sat in passing subsets.
  CHECK(occurrences(html, "<g class=\"blame culprit\">") == 1);
  CHECK(occurrences(html, "<g class=\"blame cleared\">") == 3);
  CHECK(html.find("npm c 1.0.0 \u2192 1.1.0") != std::string::npos);
  CHECK(html.find("2 rounds of the culprit search") != std::string::npos);
  CHECK(html.find("Note:") == std::string::npos);
  // The drift chart: 4 changes and 6 builds.
  CHECK(html.find("<title>run #7 (run): 4 changes</title>") != std::string::npos);
  CHECK(html.find("<title>run #7 (run): 6 builds</title>") != std::string::npos);
}

TEST_CASE("runs recorded by older driftlocks still render", "[history-html]") {
  publish::HistoryPage page;
  page.image = "demo";
  page.history.state = true;
  // A summary without change_list or indices, probes without rounds.
  page.history.runs.push_back(
      run_of(2, R"({"changes": 3, "shipped": true, "culprits": ["npm chalk 5.3.0"], "builds": 4, )"
                R"("message": "2 updates shipped, 1 held back"})"));
  page.history.runs.push_back(run_of(1, "not json", "error"));
  page.probes[2] = {probe(1, {0, 1, 2}, Outcome::fail, std::nullopt),
                    probe(2, {0}, Outcome::pass, std::nullopt),
                    probe(3, {1}, Outcome::fail, std::nullopt, 1)};
  const std::string html = publish::render_history_html(page);

  CHECK(html.find(">change 1</text>") != std::string::npos);
  CHECK(html.find(">change 3</text>") != std::string::npos);
  CHECK(html.find("does not name its changes") != std::string::npos);
  CHECK(html.find("rounds were not recorded for this run") != std::string::npos);
  CHECK(html.find("blamed changes were not recorded by index for this run; its culprits: npm "
                  "chalk 5.3.0") != std::string::npos);
  CHECK(occurrences(html, "<g class=\"round\">") == 0);
  CHECK(occurrences(html, "<rect class=\"cell") == 5);
  CHECK(occurrences(html, "<g class=\"blame cleared\">") == 1);
  CHECK(occurrences(html, "<g class=\"blame -\">") == 2);
  // The damaged summary is shown as its text; unknown numbers as "?".
  CHECK(html.find("<td>not json</td>") != std::string::npos);
  CHECK(html.find("<title>run #1 (run): ? changes</title>") == std::string::npos);
  CHECK(html.find("<td class=\"number\">?</td>") != std::string::npos);
}

TEST_CASE("history --html without a state folder writes a page and creates nothing",
          "[history-html]") {
  TempDir dir;
  const auto state = dir.path() / ".driftlock";
  const auto out = dir.path() / "history.html";
  auto written = cli::write_history_html(state, "demo", std::nullopt, 10, out);
  REQUIRE(written);
  CHECK_FALSE(std::filesystem::exists(state));
  const std::string html = read_text(out);
  CHECK(html.find("No runs yet") != std::string::npos);
  CHECK(html.find("Nothing held back (no snapshot yet).") != std::string::npos);

  std::vector<HeldBack> held = {{"npm", "chalk", "5.3.0", "fails test: ESM-only", std::nullopt}};
  REQUIRE(cli::write_history_html(state, "demo", held, 10, out));
  CHECK(read_text(out).find("<td>npm <code>chalk</code></td><td><code>5.3.0</code></td><td>-</td>"
                            "<td>fails test: ESM-only</td>") != std::string::npos);
}

TEST_CASE("history --html refuses a bad output path and writes nothing", "[history-html]") {
  TempDir dir;
  const auto state = dir.path() / ".driftlock";

  auto missing = cli::write_history_html(state, "demo", std::nullopt, 10,
                                         dir.path() / "no-such-folder" / "history.html");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind == ErrorKind::usage);
  CHECK(missing.error().message ==
        "history --html: cannot write '" +
            (dir.path() / "no-such-folder" / "history.html").string() + "': the folder '" +
            (dir.path() / "no-such-folder").string() + "' does not exist");

  auto folder = cli::write_history_html(state, "demo", std::nullopt, 10, dir.path());
  REQUIRE_FALSE(folder);
  CHECK(folder.error().kind == ErrorKind::usage);
  CHECK(folder.error().message ==
        "history --html: cannot write '" + dir.path().string() + "': it is a folder; name a file");

  // A folder that cannot be written: the error names the file, and neither
  // the page nor a temporary file is left behind (root may write anyway).
  const auto locked = dir.path() / "locked";
  std::filesystem::create_directory(locked);
  std::filesystem::permissions(
      locked, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  auto denied = cli::write_history_html(state, "demo", std::nullopt, 10, locked / "h.html");
  if (!denied) {
    CHECK(denied.error().message.starts_with("cannot write '" + (locked / "h.html").string()));
  }
  std::filesystem::permissions(locked, std::filesystem::perms::owner_all);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(locked)) ++files;
  CHECK(files == (denied ? 1u : 0u));
  CHECK_FALSE(std::filesystem::exists(state));
}

namespace {

// Two nights of the pipeline world, recorded in its .driftlock/state.db: the
// first finds c's new release to blame (a culprit search), the second ships
// a new release of a without a search. Returns the first night's report.
RunReport run_two_nights(World& world) {
  world.broken = {"c@1.1.0"};
  auto first = world.run();
  REQUIRE(first);
  REQUIRE(first->status == RunStatus::shipped_partially);
  world.sources.table["a"].push_back("1.2.0");
  auto second = world.run();
  REQUIRE(second);
  REQUIRE(second->status == RunStatus::shipped);
  return std::move(*first);
}

// A third run written with the store API: hostile registry names, and a
// round of the search that asked for three subsets at once.
void add_hostile_run(const std::filesystem::path& state_db) {
  auto database = store::open_state_database(state_db);
  REQUIRE(database);
  const std::string hostile(kHostile);
  nlohmann::json summary;
  summary["changes"] = 3;
  summary["change_list"] = {"pypi " + hostile + " 1.0 -> 2.0", "pypi requests 2.31.0 -> 2.32.0",
                            "npm left-pad 1.0.0 -> 1.3.0"};
  summary["culprits"] = {"pypi " + hostile + " 2.0"};
  summary["culprit_indices"] = {0};
  summary["builds"] = 5;
  summary["message"] = "2 updates shipped, 1 change held back";
  store::RunLog runs(*database);
  auto id = runs.begin(store::RunKind::bisect, kT0 + 72h);
  REQUIRE(id);
  store::ProbeStore probes(*database);
  auto add = [&](std::vector<std::size_t> subset, Outcome outcome, int round, bool built = true) {
    store::ProbeRecord record;
    record.candidate_id = "c";
    record.subset = std::move(subset);
    record.outcome = outcome;
    record.purpose = hostile;
    record.built = built;
    record.round = round;
    REQUIRE(probes.append_probe(*id, record));
  };
  add({}, Outcome::pass, 0);
  add({0, 1, 2}, Outcome::fail, 0);
  add({0}, Outcome::fail, 1);
  add({1}, Outcome::pass, 1);
  add({2}, Outcome::pass, 1, false);
  REQUIRE(runs.finish(*id, store::RunStatus::worse, summary.dump(), kT0 + 73h));
}

// Measures what Chromium laid out: per <svg>, its box, the painted <rect>s
// and the filled cells; the page's visible text; how many scripts the DOM
// holds (only this one: the page itself has none). Written into the DOM so
// --dump-dom shows it.
constexpr std::string_view kMeasure = R"js(<script>
(() => {
  const lines = [];
  const svgs = [...document.querySelectorAll('svg')];
  svgs.forEach((svg, k) => {
    const box = svg.getBoundingClientRect();
    let painted = 0;
    for (const rect of svg.querySelectorAll('rect')) {
      const r = rect.getBoundingClientRect();
      if (r.width > 0 && r.height > 0 && getComputedStyle(rect).fill !== 'none') painted++;
    }
    const cells = svg.querySelectorAll('rect.cell').length;
    let clipped = 0;
    for (const text of svg.querySelectorAll('text')) {
      const r = text.getBoundingClientRect();
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) clipped++;
    }
    const title = svg.querySelector('title') ? svg.querySelector('title').textContent : '';
    let overlaps = 0;
    svgs.forEach((other, j) => {
      if (j === k) return;
      const o = other.getBoundingClientRect();
      if (box.left < o.right && o.left < box.right && box.top < o.bottom && o.top < box.bottom)
        overlaps++;
    });
    lines.push(`svg ${k} class=${svg.getAttribute('class')} width=${Math.round(box.width)} ` +
               `height=${Math.round(box.height)} painted=${painted} cells=${cells} ` +
               `overlaps=${overlaps} texts=${svg.querySelectorAll('text').length} ` +
               `clipped=${clipped} title=${title}`);
  });
  lines.push(`scripts=${document.scripts.length}`);
  lines.push(`body-width=${Math.round(document.body.getBoundingClientRect().width)}`);
  const add = (id, content) => {
    const pre = document.createElement('pre');
    pre.id = id;
    pre.textContent = content;
    document.body.appendChild(pre);
  };
  const visible = document.body.innerText;
  add('measured', lines.join('\n'));
  add('visible-text', visible);
  add('svg-text', [...document.querySelectorAll('svg text')].map(t => t.textContent).join('\n'));
})();
</script>)js";

// The text of the element with this id in --dump-dom output.
std::string element_text(const std::string& dom, const std::string& id) {
  const std::string open = "<pre id=\"" + id + "\">";
  const auto start = dom.find(open);
  if (start == std::string::npos) return "";
  const auto end = dom.find("</pre>", start);
  return dom.substr(start + open.size(), end - start - open.size());
}

}  // namespace

TEST_CASE("the pipeline records what the pictures need", "[history-html]") {
  World world;
  {
    // A run that never finished: the next one marks it interrupted and
    // keeps the changes it named.
    std::filesystem::create_directories(world.dir.path() / ".driftlock");
    auto database = store::open_state_database(world.dir.path() / ".driftlock" / "state.db");
    REQUIRE(database);
    REQUIRE(store::RunLog(*database).begin(
        store::RunKind::run, kT0,
        R"({"changes":1,"change_list":["npm a 1.0.0 -> 1.1.0"],"message":"1 change to build"})"));
  }
  const RunReport first = run_two_nights(world);
  const auto state = world.dir.path() / ".driftlock";
  auto database = store::open_state_database(state / "state.db");
  REQUIRE(database);
  auto runs = store::RunLog(*database).recent(10);
  REQUIRE(runs);
  REQUIRE(runs->size() == 3);
  CHECK((*runs)[2].status == store::RunStatus::interrupted);
  CHECK((*runs)[2].summary ==
        R"({"changes":1,"change_list":["npm a 1.0.0 -> 1.1.0"],"message":"interrupted"})");

  // The first night's summary: its changes' labels and the blame by index.
  const store::RunRecord& night = (*runs)[1];
  const auto summary = nlohmann::json::parse(night.summary);
  // Labelled as reports label them, in the order subsets count them.
  REQUIRE(first.changes.size() == 6);
  nlohmann::json labels = nlohmann::json::array();
  for (const Change& change : first.changes) labels.push_back(pipeline::describe_change(change));
  CHECK(summary["change_list"] == labels);
  CHECK(first.changes[2].name == "c");
  CHECK(summary["culprit_indices"] == nlohmann::json::array({2}));
  CHECK(summary["suspected_indices"] == nlohmann::json::array());
  CHECK(summary["unresolved_indices"] == nlohmann::json::array());
  CHECK(summary["culprits"] == nlohmann::json::array({"npm c 1.1.0"}));
  CHECK(summary["message"] == "5 updates shipped, 1 change held back");

  // Its probes carry the rounds the report numbers: builds outside the
  // search are round 0, and the search's probes match its probe log.
  auto probes = store::ProbeStore(*database).probes_for_run(night.id);
  REQUIRE(probes);
  std::vector<std::tuple<std::vector<std::size_t>, int, int>> searched;
  for (const store::ProbeRecord& p : *probes) {
    REQUIRE(p.round);
    if (*p.round > 0) searched.emplace_back(p.subset, p.attempt, *p.round);
  }
  std::vector<std::tuple<std::vector<std::size_t>, int, int>> logged;
  for (const ProbeLine& line : first.probe_log)
    logged.emplace_back(line.subset, line.run, line.round);
  CHECK(searched == logged);
  CHECK_FALSE(searched.empty());
  CHECK(probes->front().round == 0);  // the baseline
  CHECK(probes->front().purpose == "baseline");

  // The page from it.
  TempDir out;
  REQUIRE(cli::write_history_html(state, "demo", world.lock().held, 10, out.path() / "h.html"));
  const std::string html = read_text(out.path() / "h.html");
  CHECK(html.find("<title id=\"probes-2-title\">") != std::string::npos);
  CHECK(html.find(">npm c 1.0.0 \u2192 1.1.0</text>") != std::string::npos);
  CHECK(occurrences(html, "<g class=\"blame culprit\">") == 1);
  CHECK(html.find("<td>npm <code>c</code></td><td><code>1.1.0</code></td>") != std::string::npos);
  // The interrupted run is labelled too; its builds are unknown.
  CHECK(html.find("<td>#1</td><td>run</td>") != std::string::npos);
}

TEST_CASE("the history page in headless Chromium", "[chromium]") {
  const std::filesystem::path chromium = "/usr/bin/chromium";
  if (!std::filesystem::exists(chromium)) {
    FAIL("headless Chromium is missing (" + chromium.string() +
         "): run tools/install-deps, which installs Debian's chromium package");
  }
  World world;
  run_two_nights(world);
  const auto state = world.dir.path() / ".driftlock";
  add_hostile_run(state / "state.db");

  TempDir out;
  const auto page = out.path() / "history.html";
  auto written = cli::write_history_html(state, "demo", world.lock().held, 10, page);
  REQUIRE(written);
  const std::string html = read_text(page);
  REQUIRE(html.find("<script") == std::string::npos);

  // The measuring copy: the page's policy allows no script, so the copy's
  // policy allows this one inline script and nothing else.
  std::string measured = html;
  const std::string policy = "default-src 'none';";
  const auto at = measured.find(policy);
  REQUIRE(at != std::string::npos);
  measured.replace(at, policy.size(), "default-src 'none'; script-src 'unsafe-inline';");
  measured.replace(measured.rfind("</body>"), 7, std::string(kMeasure) + "\n</body>");
  const auto copy = out.path() / "measured.html";
  write_text(copy, measured);

  // A fresh profile, no network (every host name fails to resolve), a timeout.
  const auto dom_file = out.path() / "dom.html";
  exec::RunRequest request;
  request.command = fmt::format(
      "'{}' --headless --no-sandbox --disable-gpu --user-data-dir='{}' --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--host-resolver-rules='MAP * ~NOTFOUND' --window-size=1280,1024 "
      "--virtual-time-budget=5000 --dump-dom 'file://{}' > '{}'",
      chromium.string(), (out.path() / "profile").string(), copy.string(), dom_file.string());
  request.cwd = out.path();
  request.timeout = 120s;
  request.kill_grace = 5s;
  request.log = out.path() / "chromium.log";
  exec::ProcessRunner runner;
  auto ran = runner.run(request);
  REQUIRE(ran);
  INFO("chromium: " << exec::describe(*ran, request.timeout) << "\n" << read_text(request.log));
  REQUIRE(ran->succeeded());
  const std::string dom = read_text(dom_file);
  const std::string numbers = element_text(dom, "measured");
  const std::string text = element_text(dom, "visible-text");
  INFO("measured:\n" << numbers);
  REQUIRE_FALSE(numbers.empty());

  // Only the measuring script ran: the hostile names stayed text.
  CHECK(numbers.find("scripts=1") != std::string::npos);
  CHECK(text.find("pypi &lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; 'q' 2.0") !=
        std::string::npos);
  const std::string labels = element_text(dom, "svg-text");
  CHECK(labels.find("pypi &lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; 'q' 1.0 \u2192 2.0") !=
        std::string::npos);
  CHECK(labels.find("npm c 1.0.0 \u2192 1.1.0") != std::string::npos);
  CHECK(labels.find("culprit") != std::string::npos);
  CHECK(labels.find("cleared") != std::string::npos);
  // The rendered text: the timeline and the tables.
  CHECK(text.find("driftlock history: demo") != std::string::npos);
  CHECK(text.find("5 updates shipped, 1 change held back") != std::string::npos);
  CHECK(text.find("npm c 1.1.0") != std::string::npos);
  CHECK(text.find("Held back in the snapshot") != std::string::npos);

  // The pictures: the drift chart and one per run that built (the second
  // night recalled or built nothing new, but it did check the baseline).
  std::smatch match;
  const std::regex svg_line(
      R"(svg (\d+) class=([a-z ]+) width=(\d+) height=(\d+) painted=(\d+) cells=(\d+) )"
      R"(overlaps=(\d+) texts=(\d+) clipped=(\d+) title=([^\n]*))");
  int charts = 0;
  int pictures = 0;
  for (auto it = std::sregex_iterator(numbers.begin(), numbers.end(), svg_line);
       it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    INFO(m.str(0));
    CHECK(std::stoi(m[3]) > 100);  // laid out with a real size
    CHECK(std::stoi(m[4]) > 50);
    CHECK(std::stoi(m[5]) > 0);        // something painted
    CHECK(std::stoi(m[7]) == 0);       // no picture on top of another
    CHECK(std::stoi(m[8]) > 3);        // labelled
    CHECK(std::stoi(m[9]) == 0);       // every label inside its picture
    CHECK_FALSE(m[10].str().empty());  // titled
    if (m[2] == "chart drift") {
      ++charts;
      CHECK(m[10] == "Changes and builds per run, oldest first");
    } else {
      ++pictures;
      CHECK(m[2] == "chart probes");
      CHECK(std::stoi(m[6]) > 0);  // filled cells: subsets that were built
    }
  }
  CHECK(charts == 1);
  CHECK(pictures >= 2);
  // The hostile run's picture: 3 + 1 + 1 + 1 filled cells.
  CHECK(numbers.find("cells=6 ") != std::string::npos);
  CHECK(numbers.find("title=Run #3: which changes each probe built, by round") !=
        std::string::npos);
}
