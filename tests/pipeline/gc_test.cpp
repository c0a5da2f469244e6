// Pruning the state folder: what is old goes, what is recent stays, and
// counting removes nothing.
#include "pipeline/gc.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "cli/main.hpp"
#include "exec/temp_dir.hpp"
#include "store/http_cache.hpp"
#include "support/text_files.hpp"

using namespace driftlock;
using driftlock::testing::TempDir;
using driftlock::testing::write_text;
namespace fs = std::filesystem;

namespace {

const Timestamp kNow = *parse_timestamp("2026-11-25T03:00:00Z");

// A folder with one file, last written `age` before kNow.
void old_folder(const fs::path& folder, std::chrono::hours age, std::size_t bytes = 10) {
  write_text(folder / "file", std::string(bytes, 'x'));
  const auto when = fs::file_time_type::clock::from_sys(kNow - age);
  fs::last_write_time(folder / "file", when);
  fs::last_write_time(folder, when);
}

void cache_entry(store::StateDir& state, const std::string& url, std::chrono::hours age) {
  store::CachedResponse entry;
  entry.url = url;
  entry.body = "{}";
  entry.fetched_at = kNow - age;
  REQUIRE(store::HttpCache(state.database()).put(entry));
}

}  // namespace

TEST_CASE("gc prunes what was last used before the cutoff", "[pipeline][gc]") {
  TempDir dir;
  const fs::path root = dir / ".driftlock";
  {
    auto state = store::StateDir::open(root);
    REQUIRE(state);
    cache_entry(*state, "https://registry.example/old", std::chrono::hours(24 * 40));
    cache_entry(*state, "https://registry.example/new", std::chrono::hours(1));
  }
  old_folder(root / "candidates" / "aaaaaaaaaaaa", std::chrono::hours(24 * 40), 2048);
  old_folder(root / "candidates" / "bbbbbbbbbbbb", std::chrono::hours(2));
  old_folder(root / "logs" / "run-1", std::chrono::hours(24 * 31), 1000);
  old_folder(root / "logs" / "run-2", std::chrono::hours(24 * 29));
  old_folder(root / "work" / "run-1", std::chrono::hours(24 * 60), 72);
  write_text(root / "logs" / "git.log", "kept: not a folder\n");

  auto state = store::StateDir::open(root);
  REQUIRE(state);
  const Timestamp cutoff = kNow - std::chrono::days(30);
  auto counted = pipeline::collect_garbage(*state, cutoff, pipeline::Removal::count_only);
  REQUIRE(counted);
  CHECK(counted->cache_entries == 1);
  CHECK(counted->candidate_folders == 1);
  CHECK(counted->log_folders == 1);
  CHECK(counted->work_folders == 1);
  CHECK(counted->bytes == 2048 + 1000 + 72);
  CHECK(fs::exists(root / "candidates" / "aaaaaaaaaaaa"));

  auto removed = pipeline::collect_garbage(*state, cutoff, pipeline::Removal::remove);
  REQUIRE(removed);
  CHECK(removed->bytes == counted->bytes);
  CHECK_FALSE(fs::exists(root / "candidates" / "aaaaaaaaaaaa"));
  CHECK(fs::exists(root / "candidates" / "bbbbbbbbbbbb"));
  CHECK_FALSE(fs::exists(root / "logs" / "run-1"));
  CHECK(fs::exists(root / "logs" / "run-2"));
  CHECK(fs::exists(root / "logs" / "git.log"));
  CHECK_FALSE(fs::exists(root / "work" / "run-1"));
  store::HttpCache cache(state->database());
  CHECK_FALSE(*cache.get("https://registry.example/old"));
  CHECK(*cache.get("https://registry.example/new"));

  auto again = pipeline::collect_garbage(*state, cutoff, pipeline::Removal::remove);
  REQUIRE(again);
  CHECK(again->cache_entries + again->candidate_folders + again->log_folders +
            again->work_folders ==
        0);
}

TEST_CASE("gc on the command line: --dry-run counts, then it removes", "[cli][gc]") {
  TempDir dir;
  write_text(dir / "driftlock.toml", "image = \"demo\"\nsnapshot = \"demo.lock.json\"\n");
  old_folder(dir / ".driftlock" / "candidates" / "aaaaaaaaaaaa", std::chrono::hours(24 * 40), 2048);
  auto run = [&](std::vector<std::string> args) {
    std::ostringstream out, err;
    FixedClock clock(kNow);
    const int code = cli::run(args, out, err, clock);
    CHECK(err.str() == "");
    CHECK(code == 0);
    return out.str();
  };
  const std::string m = (dir / "driftlock.toml").string();
  CHECK(run({"gc", "-m", m, "--dry-run"}) ==
        "would remove 0 cache entries, 1 candidate folder, 0 log folders and 0 work folders (2 "
        "KiB on disk), untouched for 30 days\n");
  CHECK(fs::exists(dir / ".driftlock" / "candidates" / "aaaaaaaaaaaa"));
  CHECK(run({"gc", "-m", m, "--older-than", "31"}) ==
        "removed 0 cache entries, 1 candidate folder, 0 log folders and 0 work folders (2 KiB on "
        "disk), untouched for 31 days\n");
  CHECK_FALSE(fs::exists(dir / ".driftlock" / "candidates" / "aaaaaaaaaaaa"));
}
