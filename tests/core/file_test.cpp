// Atomic writes: whole files or nothing, folders created, staged writes
// that vanish unless committed.
#include "core/file.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "exec/temp_dir.hpp"
#include "support/text_files.hpp"

using namespace driftlock;
using driftlock::testing::read_text;
using driftlock::testing::TempDir;
using driftlock::testing::write_text;

namespace {

std::size_t entries(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST_CASE("write_file_atomically creates missing folders only when asked", "[core]") {
  TempDir dir;
  const auto path = dir.path() / "snapshots/deep/x.lock.json";
  auto refused = write_file_atomically(path, "new\n");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message ==
        "cannot write '" + path.string() + "': open failed: No such file or directory");
  REQUIRE(write_file_atomically(path, "new\n", Folders::create));
  CHECK(read_text(path) == "new\n");
  CHECK(entries(path.parent_path()) == 1);
}

TEST_CASE("a staged file appears only when committed", "[core]") {
  TempDir dir;
  const auto path = dir.path() / "snapshots/x.lock.json";
  {
    auto staged = StagedFile::stage(path, "abandoned\n", Folders::create);
    REQUIRE(staged);
    CHECK_FALSE(std::filesystem::exists(path));
    CHECK(entries(path.parent_path()) == 1);  // the temporary file
  }
  CHECK(entries(path.parent_path()) == 0);
  auto staged = StagedFile::stage(path, "kept\n");
  REQUIRE(staged);
  REQUIRE(staged->commit());
  CHECK(read_text(path) == "kept\n");
  CHECK(entries(path.parent_path()) == 1);
  auto again = staged->commit();
  REQUIRE_FALSE(again);
  CHECK(again.error().message == "staged file already committed");
}

TEST_CASE("staging fails cleanly where the folder cannot be made", "[core]") {
  TempDir dir;
  std::ofstream(dir.path() / "blocker") << "a file\n";
  auto staged = StagedFile::stage(dir.path() / "blocker/x.json", "{}", Folders::create);
  REQUIRE_FALSE(staged);
  CHECK(staged.error().kind == ErrorKind::infrastructure);
  CHECK(staged.error().message == "cannot write '" + (dir.path() / "blocker/x.json").string() +
                                      "': cannot create its folder: Not a directory");
}
