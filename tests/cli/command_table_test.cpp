// The command table and what is generated from it: --help, the man page
// (docs/driftlock.1), the options every command takes (-m, -q, -v, --color),
// and `unhold`.
#include <catch2/catch.hpp>

#include <cstdio>
#include <sstream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/main.hpp"
#include "cli/man_page.hpp"
#include "cli/parse.hpp"
#include "exec/temp_dir.hpp"
#include "support/text_files.hpp"

using namespace driftlock;
using driftlock::testing::TempDir;

namespace {

struct Cli {
  int code;
  std::string out, err;
};

Cli run(std::vector<std::string> args, publish::Color color = publish::Color::never) {
  std::ostringstream out, err;
  FixedClock clock(*parse_timestamp("2026-12-05T03:00:00Z"));
  const int code = cli::run(args, out, err, clock, color);
  return {code, out.str(), err.str()};
}

const std::string kData = DRIFTLOCK_TEST_DATA;
const std::string kOldLock = kData + "/snapshots/old.lock.json";
const std::string kNewLock = kData + "/snapshots/new.lock.json";

}  // namespace

TEST_CASE("command table: every command takes -m, -q, -v and --color", "[cli]") {
  for (const cli::Command& command : cli::commands()) {
    INFO(command.name);
    const std::string help = cli::help_text(command);
    CHECK(help.find("-q,--quiet") != std::string::npos);
    CHECK(help.find("-v,--verbose") != std::string::npos);
    CHECK(help.find("--color WHEN") != std::string::npos);
    // -m is accepted everywhere (the contract), listed where it is read.
    auto parsed = cli::parse_command_line(command, std::vector<std::string>{"-m", "x.toml", "-h"});
    REQUIRE(parsed);
    CHECK(std::holds_alternative<cli::Helped>(*parsed));
  }
  CHECK(run({"help", "-m", "driftlock.toml", "diff"}).code == 0);
  CHECK(run({"diff", "-m", "driftlock.toml", kOldLock, kNewLock}).code == 0);
  CHECK(run({"version", "-m", "driftlock.toml", "compare", "npm", "1.0.0", "2.0.0"}).out == "-1\n");
  CHECK(cli::help_text(*cli::find_command("diff")).find("--manifest") == std::string::npos);
}

TEST_CASE("command table: options parse into Args", "[cli]") {
  const cli::Command& bisect = *cli::find_command("bisect");
  auto parsed = cli::parse_command_line(
      bisect, std::vector<std::string>{"--from", "a.json", "--to=b.json", "--explain", "-qv",
                                       "--confirmations", "3"});
  REQUIRE(parsed);
  const auto& args = std::get<cli::Args>(*parsed);
  CHECK(args.value("--from") == "a.json");
  CHECK(args.value("--to") == "b.json");
  CHECK(args.given("--explain"));
  CHECK(args.given("--quiet"));
  CHECK(args.given("--verbose"));
  CHECK(args.integer("--confirmations") == 3);
  CHECK(args.value("--format") == "text");  // the table's default
  CHECK(!args.given("--format"));
  CHECK(args.value("--manifest") == "driftlock.toml");

  struct Case {
    std::vector<std::string> words;
    std::string error;
  };
  const Case errors[] = {
      {{"--from", "a", "--to", "b", "--confirmations", "two"},
       "bisect: --confirmations must be a whole number from 1 to 10, not 'two'\n"
       "run 'driftlock bisect --help' for usage"},
      {{"--from", "a"}, "bisect: --to is required\nrun 'driftlock bisect --help' for usage"},
      {{"--from", "a", "--to", "b", "--confirmations", "11"},
       "bisect: --confirmations must be a whole number from 1 to 10, not '11'\n"
       "run 'driftlock bisect --help' for usage"},
      {{"--from", "a", "--to", "b", "--explian"},
       "bisect: unknown option '--explian' (did you mean '--explain'?)\n"
       "run 'driftlock bisect --help' for usage"},
  };
  for (const Case& c : errors) {
    auto failed = cli::parse_command_line(bisect, c.words);
    REQUIRE(!failed);
    CHECK(failed.error().message == c.error);
    CHECK(failed.error().kind == ErrorKind::usage);
  }
}

TEST_CASE("command table: --quiet and --verbose govern stderr", "[cli]") {
  TempDir dir;
  const std::string out_file = (dir / "constraints.txt").string();
  const std::vector<std::string> base = {"export", "--format", "pip",   "--snapshot",
                                         kOldLock, "-o",       out_file};
  auto normal = run(base);
  CHECK(normal.code == 0);
  CHECK(normal.err.empty());
  auto base_verbose = base;
  base_verbose.push_back("--verbose");
  auto verbose = run(base_verbose);
  CHECK(verbose.err == "driftlock: wrote " + out_file + " from " + kOldLock + "\n");
  auto base_quiet = base;
  base_quiet.push_back("-q");
  CHECK(run(base_quiet).err.empty());
  // Errors are never silenced.
  auto failed = run({"diff", "-q", kOldLock, kData + "/snapshots/none.lock.json"});
  CHECK(failed.code == 2);
  CHECK(failed.err.starts_with("driftlock: error: cannot read snapshot"));
}

TEST_CASE("command table: colour only on a terminal, never with NO_COLOR", "[cli]") {
  auto env = [](std::map<std::string, std::string> vars) -> Environment {
    return [vars](std::string_view name) -> std::optional<std::string> {
      auto it = vars.find(std::string(name));
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  };
  using cli::Terminal;
  using publish::Color;
  CHECK(cli::auto_color(Terminal::no, env({})) == Color::never);
  CHECK(cli::auto_color(Terminal::yes, env({})) == Color::always);
  CHECK(cli::auto_color(Terminal::yes, env({{"NO_COLOR", "1"}})) == Color::never);
  CHECK(cli::auto_color(Terminal::yes, env({{"NO_COLOR", ""}})) == Color::always);
  CHECK(cli::auto_color(Terminal::yes, env({{"TERM", "dumb"}})) == Color::never);

  const std::string escape = "\x1b[";
  CHECK(run({"diff", kOldLock, kNewLock}).out.find(escape) == std::string::npos);
  CHECK(run({"diff", kOldLock, kNewLock}, Color::always).out.find(escape) != std::string::npos);
  CHECK(run({"diff", "--color=always", kOldLock, kNewLock}).out.find(escape) != std::string::npos);
  CHECK(run({"diff", "--color", "never", kOldLock, kNewLock}, Color::always).out.find(escape) ==
        std::string::npos);
  auto bad = run({"diff", "--color", "allways", kOldLock, kNewLock});
  CHECK(bad.code == 2);
  CHECK(bad.err ==
        "driftlock: error: unknown --color 'allways' (expected auto, always or never) (did you "
        "mean 'always'?)\n");
}

TEST_CASE("command table: the man page is generated and docs/driftlock.1 is current", "[cli]") {
  const std::string page = cli::man_page();
  for (const cli::Command& command : cli::commands()) {
    INFO(command.name);
    CHECK(page.find(".SS \"driftlock " + std::string(command.name)) != std::string::npos);
    for (const cli::OptionSpec& option : command.options) {
      if (option.hidden || option.positional()) continue;
      std::string roff_name;
      for (char c : cli::primary_name(option))
        roff_name += c == '-' ? std::string("\\-") : std::string(1, c);
      CHECK(page.find(roff_name) != std::string::npos);
    }
  }
  CHECK(run({"help", "--man"}).out == page);

  const std::filesystem::path checked_in =
      std::filesystem::path(DRIFTLOCK_TEST_DATA) / ".." / ".." / "docs" / "driftlock.1";
  if (std::getenv("DRIFTLOCK_UPDATE_GOLDEN")) testing::write_text(checked_in, page);
  INFO("docs/driftlock.1 is stale: DRIFTLOCK_UPDATE_GOLDEN=1 rewrites it");
  CHECK(testing::read_text(checked_in) == page);

  // man(1) renders it without a warning.
  TempDir dir;
  testing::write_text(dir / "driftlock.1", page);
  const std::string command =
      "man --warnings -l " + (dir / "driftlock.1").string() + " 2>&1 >/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::string warnings;
  char buffer[512];
  while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) warnings.append(buffer, n);
  CHECK(pclose(pipe) == 0);
  CHECK(warnings.empty());
}

TEST_CASE("command table: help exit-codes says what a failed post means", "[cli]") {
  auto codes = run({"help", "exit-codes"});
  CHECK(codes.code == 0);
  CHECK(codes.out.find("--comment or --dashboard could not be posted") != std::string::npos);
}

TEST_CASE("unhold: releases a held culprit from the snapshot", "[cli]") {
  TempDir dir;
  const auto manifest = dir / "driftlock.toml";
  testing::write_text(manifest,
                      "image = \"example\"\nsnapshot = \"example.lock.json\"\n\n"
                      "[dependencies.pypi]\ndl-calc = \">=1\"\ntox = \"*\"\n");
  const auto snapshot = dir / "example.lock.json";
  const std::string held_snapshot = R"({
  "format": "driftlock-snapshot",
  "version": 1,
  "image": "example",
  "created": "2026-11-18T03:00:00Z",
  "dependencies": [
    {
      "ecosystem": "pypi",
      "name": "dl-calc",
      "version": "1.0.0"
    },
    {
      "ecosystem": "pypi",
      "name": "tox",
      "version": "4.9.0"
    }
  ],
  "held": [
    {
      "ecosystem": "pypi",
      "name": "dl-calc",
      "version": "2.0.0",
      "reason": "fails test: test_sum",
      "since": "2026-11-18T03:00:00Z"
    },
    {
      "ecosystem": "pypi",
      "name": "tox",
      "version": "5.0.0"
    }
  ]
}
)";
  testing::write_text(snapshot, held_snapshot);
  const std::string m = manifest.string();

  struct Case {
    std::string argument;
    int code;
    std::string out, err;
  };
  const Case refused[] = {
      {"dl-calc", 2, "",
       "driftlock: error: unhold: expected ECO:NAME or ECO:NAME=VERSION (e.g. pypi:dl-calc), "
       "not 'dl-calc'\n"},
      {"pypi:dl-calc=3.0.0", 2, "",
       "driftlock: error: " + snapshot.string() +
           ": pypi dl-calc 3.0.0 is not held back (held: pypi:dl-calc=2.0.0, pypi:tox=5.0.0)\n"},
      {"pypi:DL_Calc", 2, "",
       "driftlock: error: " + manifest.string() +
           " has no pypi dependency 'DL_Calc' (did you mean 'dl-calc'?)\n"},
  };
  for (const Case& c : refused) {
    INFO(c.argument);
    auto r = run({"unhold", "-m", m, c.argument});
    CHECK(r.code == c.code);
    CHECK(r.err == c.err);
    CHECK(testing::read_text(snapshot) == held_snapshot);  // nothing changed
  }

  auto released = run({"unhold", "-m", m, "pypi:dl-calc"});
  CHECK(released.code == 0);
  CHECK(released.out ==
        "released pypi dl-calc 2.0.0 in " + snapshot.string() + ": the next run tries it again\n");
  const std::string after = testing::read_text(snapshot);
  CHECK(after.find("dl-calc\",\n      \"version\": \"2.0.0\"") == std::string::npos);
  CHECK(after.find("\"5.0.0\"") != std::string::npos);
  auto validate = run({"validate", "-m", m});
  CHECK(validate.code == 0);
  CHECK(validate.out.find("1 held") != std::string::npos);
}
