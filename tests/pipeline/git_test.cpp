// builder_revision and commit_snapshot against a real git repository.
#include "pipeline/git.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "exec/process_runner.hpp"
#include "exec/temp_dir.hpp"

using namespace driftlock;
using driftlock::testing::TempDir;

namespace {

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string sh(const std::filesystem::path& dir, const std::string& command) {
  exec::ProcessRunner runner;
  exec::RunRequest request;
  request.command = command;
  request.cwd = dir;
  request.log = dir.parent_path() / "sh.log";
  auto result = runner.run(request);
  REQUIRE(result);
  REQUIRE(result->succeeded());
  std::string out;
  for (const std::string& line : result->tail) out += line + "\n";
  return out;
}

Manifest manifest_in(const std::filesystem::path& dir) {
  Manifest manifest;
  manifest.dir = dir;
  manifest.path = dir / "driftlock.toml";
  manifest.image = "demo";
  manifest.snapshot = dir / "snapshots" / "demo.lock.json";
  manifest.commands.build = "./build.sh";
  return manifest;
}

}  // namespace

TEST_CASE("builder revision: follows the builder's files and commands, not the snapshot") {
  TempDir tmp;
  const auto repo = tmp.path() / "repo";
  write_text(repo / "build.sh", "echo one\n");
  write_text(repo / "snapshots" / "demo.lock.json", "{}\n");
  sh(repo, "git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm init");
  exec::ProcessRunner runner;
  const Manifest manifest = manifest_in(repo);
  const auto log = tmp.path() / "git.log";

  auto first = pipeline::builder_revision(manifest, runner, log, "nonce-1");
  REQUIRE(first);
  CHECK(*pipeline::builder_revision(manifest, runner, log, "nonce-2") == *first);

  write_text(repo / "snapshots" / "demo.lock.json", "{\"changed\": true}\n");
  CHECK(*pipeline::builder_revision(manifest, runner, log, "nonce-1") == *first);

  write_text(repo / "build.sh", "echo two\n");
  auto edited = pipeline::builder_revision(manifest, runner, log, "nonce-1");
  REQUIRE(edited);
  CHECK(*edited != *first);

  Manifest other = manifest;
  other.commands.test = "./test.sh";
  CHECK(*pipeline::builder_revision(other, runner, log, "nonce-1") != *edited);
}

TEST_CASE("builder revision: outside git it is unique to the run") {
  TempDir tmp;
  const auto dir = tmp.path() / "plain";
  write_text(dir / "build.sh", "echo\n");
  exec::ProcessRunner runner;
  const Manifest manifest = manifest_in(dir);
  auto a = pipeline::builder_revision(manifest, runner, tmp.path() / "git.log", "nonce-1");
  auto b = pipeline::builder_revision(manifest, runner, tmp.path() / "git.log", "nonce-2");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->starts_with("run-"));
  CHECK(*a != *b);
}

TEST_CASE("commit_snapshot commits the snapshot alone with the message from a file") {
  TempDir tmp;
  const auto repo = tmp.path() / "repo";
  write_text(repo / "build.sh", "echo\n");
  write_text(repo / "snapshots" / "demo.lock.json", "{}\n");
  sh(repo, "git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm init");
  write_text(repo / "build.sh", "echo edited, not committed\n");
  write_text(repo / "snapshots" / "demo.lock.json", "{\"v\": 2}\n");
  exec::ProcessRunner runner;
  const auto state = tmp.path() / "state";
  std::filesystem::create_directories(state);
  // A message with shell metacharacters: it must arrive verbatim.
  const std::string message =
      "driftlock: update demo (1 change)\n\n- npm x 1 -> 2 $(touch pwned)\n";
  auto committed = pipeline::commit_snapshot(manifest_in(repo), message, runner, state);
  INFO((committed ? std::string() : committed.error().message));
  REQUIRE(committed);
  CHECK(*committed == pipeline::CommitStatus::committed);
  CHECK(sh(repo, "git log -1 --format=%B") == message + "\n");
  CHECK(sh(repo, "git status --porcelain") == " M build.sh\n");
  CHECK_FALSE(std::filesystem::exists(repo / "pwned"));

  auto again = pipeline::commit_snapshot(manifest_in(repo), message, runner, state);
  REQUIRE(again);
  CHECK(*again == pipeline::CommitStatus::nothing_to_commit);

  const auto plain = tmp.path() / "plain";
  write_text(plain / "snapshots" / "demo.lock.json", "{}\n");
  auto outside = pipeline::commit_snapshot(manifest_in(plain), message, runner, state);
  REQUIRE(outside);
  CHECK(*outside == pipeline::CommitStatus::not_a_repository);
}
