// `driftlock completion bash|zsh|fish`: the scripts are generated from the
// command table; bash and fish are asked for completions as a user's shell
// would ask them, zsh's script is checked by zsh's parser. Needs bash, zsh
// and fish (tools/install-deps).
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <sstream>

#include "cli/completion.hpp"
#include "cli/main.hpp"
#include "exec/temp_dir.hpp"
#include "support/text_files.hpp"

using namespace driftlock;
using driftlock::testing::TempDir;

namespace {

constexpr std::string_view kManifest = R"(image = "example"

[dependencies.npm]
chalk = "^4"
"@babel/core" = "*"

[dependencies.pypi]
requests = ">=2"
)";

struct Shell {
  int code;
  std::string out;
};

// Runs `command` with /bin/sh; its stdout and exit code.
Shell sh(const std::string& command) {
  Shell result{-1, ""};
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer{};
  while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe))
    result.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string sorted_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  std::sort(words.begin(), words.end());
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

struct Cli {
  int code;
  std::string out, err;
};

Cli run(std::vector<std::string> args) {
  std::ostringstream out, err;
  FixedClock clock(Timestamp{});
  const int code = cli::run(args, out, err, clock);
  return {code, out.str(), err.str()};
}

bool have(const char* program) {
  return sh(std::string("command -v ") + program + " >/dev/null 2>&1").code == 0;
}

}  // namespace

TEST_CASE("completion: bash completes commands, options, values and dependencies",
          "[cli][completion]") {
  REQUIRE(have("bash"));
  TempDir dir;
  const auto script = dir / "driftlock.bash";
  testing::write_text(script, cli::completion_script(cli::Shell::bash));
  const auto manifest = dir / "driftlock.toml";
  testing::write_text(manifest, std::string(kManifest));
  const std::string binary = DRIFTLOCK_BINARY;

  struct Case {
    std::string line;  // after the binary's path
    std::string expected;
  };
  const Case cases[] = {
      {"ru", "run"},
      {"un", "unhold unpin"},
      {"run --form", "--format"},
      {"run --format j", "json"},
      {"run -q --flaky-tests ", "auto expect trust"},
      {"export --format ", "apt env npm npm-overrides oci pip"},
      {"version ", "compare normalize satisfies"},
      {"version compare ", "debian npm oci pypi"},
      {"version compare npm 1.0 --pre", ""},
      {"version satisfies --pre", "--prereleases"},
      {"help exit", "exit-codes"},
      {"completion ", "bash fish zsh"},
      {"pin -m " + manifest.string() + " ", "npm:@babel/core npm:chalk pypi:requests"},
      // bash replaces only the part after the last ':' it broke the word at.
      {"unpin --manifest " + manifest.string() + " npm:c", "chalk"},
      {"history --limit ", ""},
  };
  for (const Case& c : cases) {
    INFO(c.line);
    const std::string line = binary + " " + c.line;
    const Shell result = sh("bash --norc -c '. " + script.string() +
                            " && COMP_LINE=\"$1\" COMP_POINT=${#1} && _driftlock && "
                            "printf \"%s\\n\" \"${COMPREPLY[@]}\"' _ '" +
                            line + "'");
    CHECK(result.code == 0);
    CHECK(sorted_words(result.out) == c.expected);
  }
}

TEST_CASE("completion: fish completes commands, options and dependencies", "[cli][completion]") {
  REQUIRE(have("fish"));
  TempDir dir;
  const auto script = dir / "driftlock.fish";
  testing::write_text(script, cli::completion_script(cli::Shell::fish));
  const auto manifest = dir / "driftlock.toml";
  testing::write_text(manifest, std::string(kManifest));
  // fish asks the command by its name: a folder on PATH with driftlock in it.
  std::filesystem::create_directories(dir / "bin");
  std::filesystem::create_symlink(DRIFTLOCK_BINARY, dir / "bin" / "driftlock");

  CHECK(sh("fish --no-execute " + script.string()).code == 0);
  struct Case {
    std::string line;
    std::string expected;  // the completions' words (descriptions dropped)
  };
  const Case cases[] = {
      {"driftlock ru", "run"},
      {"driftlock run --form", "--format"},
      {"driftlock run --format ", "json markdown text"},
      {"driftlock version compare ", "debian npm oci pypi"},
      {"driftlock unhold -m " + manifest.string() + " ", "npm:@babel/core npm:chalk pypi:requests"},
  };
  for (const Case& c : cases) {
    INFO(c.line);
    const Shell result =
        sh("PATH=" + (dir / "bin").string() + ":$PATH fish --no-config -c 'source " +
           script.string() + "; complete -C \"$argv[1]\" | cut -f1' '" + c.line + "'");
    CHECK(result.code == 0);
    CHECK(sorted_words(result.out) == c.expected);
  }
}

TEST_CASE("completion: zsh's script parses and names every command", "[cli][completion]") {
  REQUIRE(have("zsh"));
  TempDir dir;
  const auto script = dir / "_driftlock";
  const std::string text = cli::completion_script(cli::Shell::zsh);
  testing::write_text(script, text);
  CHECK(sh("zsh -n " + script.string()).code == 0);
  // Loaded the way compinit does, the function defines itself without errors.
  CHECK(sh("zsh -f -c 'autoload -U compinit && compinit -u -D && fpath=(" + dir.path().string() +
           " $fpath) && autoload -U _driftlock && whence -w _driftlock' 2>&1")
            .out.find("_driftlock: function") != std::string::npos);
  for (std::string_view command : {"'run:", "'unhold:", "'completion:", "compare)"}) {
    CHECK(text.find(command) != std::string::npos);
  }
}

TEST_CASE("completion: the command checks its arguments", "[cli][completion]") {
  auto typo = run({"completion", "bsh"});
  CHECK(typo.code == 2);
  CHECK(typo.err ==
        "driftlock: error: completion: unknown shell 'bsh' (expected bash, zsh or fish) "
        "(did you mean 'bash'?)\n");
  auto none = run({"completion"});
  CHECK(none.code == 2);
  CHECK(none.err ==
        "driftlock: error: completion: name a shell: bash, zsh or fish\n"
        "run 'driftlock completion --help' for how to install the script\n");
  auto bash = run({"completion", "bash"});
  CHECK(bash.code == 0);
  CHECK(bash.out.starts_with("# bash completion for driftlock"));

  TempDir dir;
  testing::write_text(dir / "driftlock.toml", std::string(kManifest));
  auto deps = run({"completion", "--dependencies", "-m", (dir / "driftlock.toml").string()});
  CHECK(deps.code == 0);
  CHECK(deps.out == "npm:@babel/core\nnpm:chalk\npypi:requests\n");
}
