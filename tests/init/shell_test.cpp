#include <catch2/catch.hpp>

#include "init/shell.hpp"

using namespace driftlock::init;

namespace {

// Each command's raw words joined by spaces, prefixed by "|" when piped.
std::vector<std::string> commands_of(std::string_view script) {
  std::vector<std::string> out;
  for (const RawCommand& command : split_commands(script)) {
    std::string line = command.joiner == Joiner::pipe ? "| " : "";
    for (std::size_t i = 0; i < command.words.size(); ++i) {
      line += (i ? " " : "") + command.words[i].text;
    }
    out.push_back(line);
  }
  return out;
}

Variables example_variables() {
  Variables v;
  v.set_arg("PY", {"3.11", ""});
  v.set_arg("EMPTY", {"", ""});
  v.set_arg("LATER",
            {std::nullopt, "ARG LATER has no default; the build sets it with --build-arg"});
  v.set_env("VENV", {"/opt/venv", ""});
  v.set_arg("VENV", {"/ignored", ""});  // ENV wins over ARG
  return v;
}

}  // namespace

TEST_CASE("shell: commands split at operators outside quotes", "[init]") {
  struct Case {
    std::string_view script;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"apt-get update && apt-get install -y git", {"apt-get update", "apt-get install -y git"}},
      {"a; b || c & d", {"a", "b", "c", "d"}},
      {"a\nb", {"a", "b"}},
      {"curl -fsSL https://x.invalid/i.sh | sh -s --",
       {"curl -fsSL https://x.invalid/i.sh", "| sh -s --"}},
      {"echo 'a && b' \"c; d\"", {"echo 'a && b' \"c; d\""}},
      {"pip install x > /dev/null 2>&1", {"pip install x"}},
      {"pip install x &> log; ls", {"pip install x", "ls"}},
      {"(cd /src && make)", {"cd /src", "make"}},
      {"echo $(date +%s) `uname`", {"echo $(date +%s) `uname`"}},
      {"echo ${A:-x y}", {"echo ${A:-x y}"}},
      {"# a comment\nls # trailing", {"ls"}},
      {"a \\\n  b", {"a b"}},
      {"", {}},
  };
  for (const Case& c : cases) {
    INFO(c.script);
    CHECK(commands_of(c.script) == c.expected);
  }
}

TEST_CASE("shell: words lose quotes and get variables", "[init]") {
  struct Case {
    std::string_view raw;
    std::string text;
    Problem problem;
    std::string why;
  };
  const std::vector<Case> cases = {
      {"python${PY}-dev", "python3.11-dev", Problem::none, ""},
      {"python$PY", "python3.11", Problem::none, ""},
      {"\"tox~=4.0\"", "tox~=4.0", Problem::none, ""},
      {"'$PY'", "$PY", Problem::none, ""},
      {"\"$PY\"'$PY'", "3.11$PY", Problem::none, ""},
      {"a\\ b", "a b", Problem::none, ""},
      {"\"a\\\"b\"", "a\"b", Problem::none, ""},
      {"$VENV/bin/pip", "/opt/venv/bin/pip", Problem::none, ""},
      {"${MISSING:-3.12}", "3.12", Problem::none, ""},
      {"${EMPTY:-fallback}", "fallback", Problem::none, ""},
      {"${EMPTY-fallback}", "", Problem::none, ""},
      {"${LATER:-1.0}", "1.0", Problem::none, ""},
      {"${PY:+yes}", "yes", Problem::none, ""},
      {"${MISSING:+yes}", "", Problem::none, ""},
      {"${MISSING:-${PY}}", "3.11", Problem::none, ""},
      {"cost$", "cost$", Problem::none, ""},
      {"$MISSING", "", Problem::unknown, "$MISSING is not set in the Dockerfile"},
      {"x${LATER}", "x", Problem::unknown,
       "$LATER has no value (ARG LATER has no default; the build sets it with --build-arg)"},
      {"$(cat list.txt)", "", Problem::unknown, "$(cat list.txt) is a command's output"},
      {"`cat list`", "", Problem::unknown, "`cat list` is a command's output"},
      {"$1", "", Problem::unknown, "$1 is set only when the command runs"},
      {"${PY#3.}", "", Problem::unknown, "'${PY#3.}' is not a substitution driftlock reads"},
      {"${PY", "", Problem::syntax, "missing '}' in '${PY'"},
  };
  const Variables variables = example_variables();
  for (const Case& c : cases) {
    INFO(c.raw);
    const Word word = expand({std::string(c.raw), 0}, variables);
    CHECK(word.text == c.text);
    CHECK(word.problem == c.problem);
    CHECK(word.why == c.why);
  }
}

TEST_CASE("shell: Docker's words keep quoted blanks together", "[init]") {
  const auto words = split_words("A=1 B=\"x y\" C='z w'  D");
  REQUIRE(words.size() == 4);
  CHECK(words[1].text == "B=\"x y\"");
  CHECK(words[1].offset == 4);
  CHECK(words[3].text == "D");
  // The backtick escape: a backslash is an ordinary character.
  const auto windows = split_words("C:\\dir `\"q`\"", '`');
  REQUIRE(windows.size() == 2);
  CHECK(expand(windows[1], Variables{}, '`').text == "\"q\"");
}
