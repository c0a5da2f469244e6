#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <cstdio>
#include <sstream>

#include "cli/main.hpp"

using namespace driftlock;

namespace {

struct Run {
  int code;
  std::string out;
  std::string err;
};

Run run_cli(std::vector<std::string> args) {
  std::ostringstream out, err;
  FixedClock clock(Timestamp(std::chrono::seconds(1764039600)));
  int code = cli::run(args, out, err, clock);
  return {code, out.str(), err.str()};
}

const std::string kData = DRIFTLOCK_TEST_DATA;

}  // namespace

TEST_CASE("cli: version, help and unknown commands", "[cli]") {
  auto v = run_cli({"--version"});
  CHECK(v.code == 0);
  CHECK(v.out == std::string("driftlock ") + DRIFTLOCK_VERSION + "\n");

  auto none = run_cli({});
  CHECK(none.code == 2);
  CHECK(none.err.starts_with("usage: driftlock"));

  auto typo = run_cli({"dif"});
  CHECK(typo.code == 2);
  CHECK(typo.err ==
        "driftlock: error: unknown command 'dif' (did you mean 'diff'?)\n"
        "run 'driftlock help' for the list\n");

  auto codes = run_cli({"help", "exit-codes"});
  CHECK(codes.code == 0);
  CHECK(codes.out.find("  3  infrastructure error") != std::string::npos);

  auto help_diff = run_cli({"help", "diff"});
  CHECK(help_diff.code == 0);
  CHECK(help_diff.out.find("--exit-code") != std::string::npos);

  auto bad_topic = run_cli({"help", "exit-code"});
  CHECK(bad_topic.code == 2);
  CHECK(bad_topic.err ==
        "driftlock: error: no help for 'exit-code' (did you mean 'exit-codes'?)\n");
}

TEST_CASE("cli: unknown options suggest the closest", "[cli]") {
  auto r = run_cli({"diff", "a", "b", "--exit-cod"});
  CHECK(r.code == 2);
  CHECK(r.err ==
        "driftlock: error: diff: unknown option '--exit-cod' (did you mean '--exit-code'?)\n"
        "run 'driftlock diff --help' for usage\n");
  auto f = run_cli({"diff", "a", "b", "--format", "yaml"});
  CHECK(f.code == 2);
  CHECK(f.err == "driftlock: error: unknown format 'yaml' (expected text, json or markdown)\n");
}

TEST_CASE("cli: version compare and satisfies", "[cli]") {
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string out;
  };
  const Case cases[] = {
      {{"version", "compare", "pypi", "1.10", "1.9"}, 0, "1\n"},
      {{"version", "compare", "pypi", "1.0", "1.0.0"}, 0, "0\n"},
      {{"version", "compare", "npm", "1.2.3-alpha", "1.2.3"}, 0, "-1\n"},
      {{"version", "compare", "debian", "1.0~rc1", "1.0"}, 0, "-1\n"},
      {{"version", "satisfies", "npm", "^1.2", "1.9.0"}, 0, ""},
      {{"version", "satisfies", "npm", "^1.2", "2.0.0"}, 1, ""},
      {{"version", "satisfies", "pypi", ">=1.0", "2.0a1"}, 1, ""},
      {{"version", "satisfies", "pypi", ">=1.0", "2.0a1", "--prereleases"}, 0, ""},
      {{"version", "normalize", "pypi", "1.0-ALPHA.1"}, 0, "1.0a1\n"},
  };
  for (const Case& c : cases) {
    INFO(c.args[1] + " " + c.args[2] + " " + c.args[3]);
    auto r = run_cli(c.args);
    CHECK(r.code == c.code);
    CHECK(r.out == c.out);
    CHECK(r.err == "");
  }
}

TEST_CASE("cli: version errors exit 2 with the reason", "[cli]") {
  auto eco = run_cli({"version", "compare", "pip", "1", "2"});
  CHECK(eco.code == 2);
  CHECK(eco.err ==
        "driftlock: error: unknown ecosystem 'pip' (expected one of debian, npm, oci, pypi) "
        "(did you mean 'pypi'?)\n");
  auto bad = run_cli({"version", "satisfies", "npm", ">=1.0.0", "not-a-version"});
  CHECK(bad.code == 2);
  CHECK(bad.err.starts_with("driftlock: error: invalid npm version 'not-a-version'"));
  auto missing = run_cli({"version", "compare", "npm", "1.0.0"});
  CHECK(missing.code == 2);
}

TEST_CASE("cli: diff renders every format", "[cli]") {
  const std::string old_lock = kData + "/snapshots/old.lock.json";
  const std::string new_lock = kData + "/snapshots/new.lock.json";
  auto text = run_cli({"diff", old_lock, new_lock});
  CHECK(text.code == 0);
  CHECK(text.out.starts_with("2 changes: 2 upgraded\n"));
  auto json = run_cli({"diff", old_lock, new_lock, "--format", "json"});
  CHECK(json.code == 0);
  CHECK(json.out.find("\"format\": \"driftlock-diff\"") != std::string::npos);
  auto md = run_cli({"diff", old_lock, new_lock, "--format", "markdown"});
  CHECK(md.out.starts_with("**driftlock:** 2 changes"));
  auto same = run_cli({"diff", old_lock, old_lock, "--exit-code"});
  CHECK(same.code == 0);
  CHECK(same.out == "no changes\n");
  auto changed = run_cli({"diff", old_lock, new_lock, "--exit-code"});
  CHECK(changed.code == 1);
  auto missing = run_cli({"diff", old_lock, kData + "/snapshots/none.lock.json"});
  CHECK(missing.code == 2);
  CHECK(missing.err == "driftlock: error: cannot read snapshot '" + kData +
                           "/snapshots/none.lock.json': No such file or directory\n");
}

TEST_CASE("cli: the binary maps results to exit codes", "[cli]") {
  auto status = [](const std::string& args) {
    std::string command = std::string(DRIFTLOCK_BINARY) + " " + args + " >/dev/null 2>&1";
    int raw = std::system(command.c_str());
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  };
  CHECK(status("--version") == 0);
  CHECK(status("version satisfies npm '^1' 1.5.0") == 0);
  CHECK(status("version satisfies npm '^1' 2.0.0") == 1);
  CHECK(status("version satisfies npm '^1' x") == 2);
  CHECK(status("frobnicate") == 2);
}
