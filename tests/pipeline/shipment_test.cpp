// The shipping journal: each step is recorded before the next, a failed or
// interrupted shipment says what it did, and the next run finishes a
// shipment that pushed without writing its snapshot.
#include "pipeline/shipment.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "exec/fake_runner.hpp"
#include "exec/temp_dir.hpp"
#include "store/shipments.hpp"
#include "store/state_dir.hpp"
#include "support/text_files.hpp"

using namespace driftlock;
using driftlock::testing::read_text;
using driftlock::testing::TempDir;
using driftlock::testing::write_text;
using store::ShipmentStep;

namespace {

const Timestamp kNow = *parse_timestamp("2026-12-05T03:00:00Z");

Manifest manifest_in(const std::filesystem::path& dir) {
  Manifest manifest;
  manifest.dir = dir;
  manifest.path = dir / "driftlock.toml";
  manifest.image = "demo";
  manifest.snapshot = dir / "demo.lock.json";
  manifest.commands.build = "true";
  manifest.commands.push = "push";
  return manifest;
}

pipeline::ShipRequest request(std::string content) {
  pipeline::ShipRequest r;
  r.run_id = 7;
  r.candidate_id = "cand1";
  r.content = std::move(content);
  r.message = "driftlock: update demo (1 change)\n";
  return r;
}

std::vector<ShipmentStep> steps(store::StateDir& state) {
  auto open = store::ShipmentLog(state.database()).unfinished();
  REQUIRE(open);
  std::vector<ShipmentStep> out;
  for (const store::Shipment& s : *open) out.push_back(s.step);
  return out;
}

// Answers push and git commands; `push_code` and `commit_code` are their exits.
struct Commands {
  int push_code = 0;
  int commit_code = 0;
  std::vector<std::string> seen;
  exec::FakeRunner runner{[this](const exec::RunRequest& r) -> Result<exec::RunResult> {
    if (r.command == "push") {
      seen.push_back("push");
      return exec::exited(push_code);
    }
    seen.push_back("git");
    return exec::exited(commit_code, {"fatal: cannot lock ref"});
  }};
};

// A manifest folder with a snapshot reading "old\n", its state folder, the
// commands and the clock: what ship_snapshot and finish_shipments take.
struct Yard {
  TempDir dir;
  Manifest manifest = manifest_in(dir.path());
  store::StateDir state = open_state(dir / ".driftlock");
  Commands commands;
  FixedClock clock{kNow};

  Yard() { write_text(manifest.snapshot, "old\n"); }
  static store::StateDir open_state(const std::filesystem::path& path) {
    auto opened = store::StateDir::open(path);
    REQUIRE(opened);
    return std::move(*opened);
  }
  Result<pipeline::ShipResult> ship() {
    return pipeline::ship_snapshot(manifest, state.database(), state.path(), commands.runner, clock,
                                   request("new\n"));
  }
  Result<std::vector<std::string>> finish() {
    return pipeline::finish_shipments(manifest, state.database(), state.path(), commands.runner,
                                      clock);
  }
};

}  // namespace

TEST_CASE("shipping pushes, writes, commits and closes its journal entry", "[pipeline][journal]") {
  Yard yard;
  auto shipped = yard.ship();
  REQUIRE(shipped);
  CHECK(shipped->pushed);
  CHECK(shipped->commit_note == "committed");
  CHECK(yard.commands.seen == std::vector<std::string>{"push", "git"});
  CHECK(read_text(yard.manifest.snapshot) == "new\n");
  CHECK(steps(yard.state).empty());
}

TEST_CASE("a failed push abandons the shipment and leaves the snapshot", "[pipeline][journal]") {
  Yard yard;
  yard.commands.push_code = 1;
  auto shipped = yard.ship();
  REQUIRE_FALSE(shipped);
  CHECK(shipped.error().message == "the push command exited with 1 (log: " +
                                       (yard.state.path() / "logs" / "push.log").string() +
                                       "); the snapshot was not advanced");
  CHECK(read_text(yard.manifest.snapshot) == "old\n");
  CHECK(steps(yard.state).empty());
  auto finished = yard.finish();
  REQUIRE(finished);
  CHECK(finished->empty());
}

TEST_CASE("a commit that fails after the push says the next run commits", "[pipeline][journal]") {
  Yard yard;
  yard.commands.commit_code = 1;
  const std::string snapshot = yard.manifest.snapshot.string();
  auto shipped = yard.ship();
  REQUIRE_FALSE(shipped);
  CHECK(shipped.error().message ==
        "git commit of " + snapshot + " failed (exited with 1: fatal: cannot lock ref); see " +
            (yard.state.path() / "logs" / "git.log").string() + "; " + snapshot +
            " was written and the image pushed, and the next run commits it");
  CHECK(steps(yard.state) == std::vector<ShipmentStep>{ShipmentStep::written});

  yard.commands.commit_code = 0;
  auto finished = yard.finish();
  REQUIRE(finished);
  CHECK(*finished == std::vector<std::string>{"run 7 wrote " + snapshot +
                                              " and was stopped before committing it: "
                                              "committed now"});
  CHECK(steps(yard.state).empty());
}

// The states a kill leaves, written straight into the journal.
TEST_CASE("the next run finishes what a killed shipment left", "[pipeline][journal]") {
  struct Case {
    ShipmentStep step;
    std::string file_now;  // "" : no snapshot file
    std::string expected_file;
    std::vector<std::string> expected_commands;
    std::string note;  // "" : none
  };
  const std::string snapshot = "SNAP";
  const std::vector<Case> cases = {
      {ShipmentStep::staged, "old\n", "old\n", {}, ""},
      // No push: killed between the rename and the journal's "written".
      {ShipmentStep::staged,
       "new\n",
       "new\n",
       {"git"},
       "run 7 wrote SNAP and was stopped before committing it: committed now"},
      {ShipmentStep::pushing,
       "old\n",
       "old\n",
       {},
       "run 7 was stopped while pushing candidate cand1 (which had passed its tests): the "
       "registry may hold its image; SNAP was not advanced, and this run ships again"},
      {ShipmentStep::pushed,
       "old\n",
       "new\n",
       {"git"},
       "run 7 pushed candidate cand1 and was stopped before writing SNAP: written now"},
      // Killed between the rename and the journal's "written".
      {ShipmentStep::pushed,
       "new\n",
       "new\n",
       {"git"},
       "run 7 wrote SNAP and was stopped before committing it: committed now"},
      {ShipmentStep::pushed,
       "",
       "",
       {},
       "run 7 pushed candidate cand1 and was stopped before writing SNAP, which has changed "
       "since: it is left as it is"},
      {ShipmentStep::pushed,
       "edited\n",
       "edited\n",
       {},
       "run 7 pushed candidate cand1 and was stopped before writing SNAP, which has changed "
       "since: it is left as it is"},
      {ShipmentStep::written,
       "new\n",
       "new\n",
       {"git"},
       "run 7 wrote SNAP and was stopped before committing it: committed now"},
      {ShipmentStep::written,
       "edited\n",
       "edited\n",
       {},
       "run 7 wrote SNAP and was stopped before committing it; the file has changed since: "
       "not committed"},
  };
  for (const Case& c : cases) {
    TempDir dir;
    const Manifest manifest = manifest_in(dir.path());
    auto state = store::StateDir::open(dir / ".driftlock");
    REQUIRE(state);
    store::Shipment s;
    s.run_id = 7;
    s.image = "demo";
    s.snapshot = manifest.snapshot.string();
    s.candidate_id = "cand1";
    s.previous = "old\n";
    s.content = "new\n";
    s.message = "msg\n";
    s.step = c.step;
    REQUIRE(store::ShipmentLog(state->database()).begin(s));
    if (!c.file_now.empty()) write_text(manifest.snapshot, c.file_now);
    // A temporary file a killed stage() left beside the snapshot.
    write_text(dir / ".demo.lock.json.tmp-4242", "new\n");
    write_text(dir / ".demo.lock.json.tmp-notapid", "kept\n");
    Commands commands;
    FixedClock clock(kNow);
    auto finished = pipeline::finish_shipments(manifest, state->database(), state->path(),
                                               commands.runner, clock);
    INFO(to_string(c.step) << " with '" << c.file_now << "'");
    REQUIRE(finished);
    std::vector<std::string> expected_notes;
    if (!c.note.empty()) {
      std::string note = c.note;
      note.replace(note.find(snapshot), snapshot.size(), manifest.snapshot.string());
      expected_notes.push_back(note);
    }
    CHECK(*finished == expected_notes);
    CHECK(commands.seen == c.expected_commands);
    CHECK(std::filesystem::exists(manifest.snapshot) == !c.expected_file.empty());
    if (!c.expected_file.empty()) CHECK(read_text(manifest.snapshot) == c.expected_file);
    CHECK(steps(*state).empty());
    CHECK_FALSE(std::filesystem::exists(dir / ".demo.lock.json.tmp-4242"));
    CHECK(std::filesystem::exists(dir / ".demo.lock.json.tmp-notapid"));
  }
}

TEST_CASE("a shipment of another snapshot sharing the state folder is left alone",
          "[pipeline][journal]") {
  TempDir dir;
  auto state = store::StateDir::open(dir / ".driftlock");
  REQUIRE(state);
  store::Shipment s;
  s.image = "other";
  s.snapshot = (dir / "other.lock.json").string();
  s.candidate_id = "cand1";
  s.content = "new\n";
  s.step = ShipmentStep::pushed;
  REQUIRE(store::ShipmentLog(state->database()).begin(s));
  Commands commands;
  FixedClock clock(kNow);
  auto finished = pipeline::finish_shipments(manifest_in(dir.path()), state->database(),
                                             state->path(), commands.runner, clock);
  REQUIRE(finished);
  CHECK(finished->empty());
  CHECK(steps(*state) == std::vector<ShipmentStep>{ShipmentStep::pushed});
  CHECK_FALSE(std::filesystem::exists(dir / "other.lock.json"));
}
