#include <catch2/catch.hpp>

#include "init/instructions.hpp"

using namespace driftlock;
using namespace driftlock::init;

namespace {

// "KEYWORD|arguments|line" per instruction.
std::vector<std::string> described(std::string_view text) {
  auto read = read_instructions(text, "Dockerfile");
  REQUIRE(read);
  std::vector<std::string> out;
  for (const Instruction& i : read->list) {
    out.push_back(i.keyword + "|" + i.arguments + "|" + std::to_string(i.line));
  }
  return out;
}

std::string error_of(std::string_view text) {
  auto read = read_instructions(text, "Dockerfile");
  REQUIRE_FALSE(read);
  return render(read.error());
}

}  // namespace

TEST_CASE("instructions: continuation lines, comments and case", "[init]") {
  struct Case {
    std::string_view text;
    std::vector<std::string> expected;
  };
  const std::vector<Case> cases = {
      {"FROM debian:12\n", {"FROM|debian:12|1"}},
      {"from debian:12\nrun echo hi\n", {"FROM|debian:12|1", "RUN|echo hi|2"}},
      {"FROM a\nRUN apt-get install \\\n  git \\\n  curl\n",
       {"FROM|a|1", "RUN|apt-get install   git   curl|2"}},
      // Comment lines and blank lines inside a continued instruction are skipped.
      {"FROM a\nRUN one \\\n# a comment\n\n  two\n", {"FROM|a|1", "RUN|one   two|2"}},
      // Blanks after the backslash still continue the line.
      {"FROM a\nRUN one \\  \n  two\n", {"FROM|a|1", "RUN|one   two|2"}},
      {"  # leading comment\n\nFROM a\r\nRUN b\r\n", {"FROM|a|3", "RUN|b|4"}},
      {"FROM a\nRUN b   \n", {"FROM|a|1", "RUN|b|2"}},
      {"# escape=`\nFROM a\nRUN one `\n  two\n", {"FROM|a|2", "RUN|one   two|3"}},
      // With the backtick escape, a backslash ends nothing.
      {"# escape=`\nFROM a\nRUN C:\\dir\\\n", {"FROM|a|2", "RUN|C:\\dir\\|3"}},
      // A directive after a comment is a comment.
      {"# hello\n# escape=`\nFROM a\nRUN x \\\n y\n", {"FROM|a|3", "RUN|x  y|4"}},
      {"# syntax=docker/dockerfile:1\n# escape=\\\nFROM a\n", {"FROM|a|3"}},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(described(c.text) == c.expected);
  }
}

TEST_CASE("instructions: positions map back to the physical lines", "[init]") {
  auto read =
      read_instructions("FROM a\nRUN apt-get install \\\n    git \\\n    curl\n", "Dockerfile");
  REQUIRE(read);
  const Instruction& run = read->list.at(1);
  CHECK(run.arguments == "apt-get install     git     curl");
  CHECK(run.position(0).line == 2);
  CHECK(run.position(0).column == 5);
  const std::size_t git = run.arguments.find("git");
  CHECK(run.position(git).line == 3);
  CHECK(run.position(git).column == 5);
  const std::size_t curl = run.arguments.find("curl");
  CHECK(run.position(curl).line == 4);
  CHECK(run.position(curl).column == 5);
}

TEST_CASE("instructions: heredocs", "[init]") {
  auto read = read_instructions(
      "FROM a\nRUN <<EOF\napt-get install -y git\npip install tox\nEOF\nRUN <<-\"END\" "
      "bash\n\tls\n\tEND\n",
      "Dockerfile");
  REQUIRE(read);
  REQUIRE(read->list.size() == 3);
  REQUIRE(read->list[1].heredocs.size() == 1);
  CHECK(read->list[1].heredocs[0].body == "apt-get install -y git\npip install tox\n");
  CHECK(position_in(read->list[1].heredocs[0].spans, 23).line == 4);
  CHECK(read->list[2].heredocs.at(0).body == "ls\n");
  // A here-string is not a heredoc.
  CHECK(described("FROM a\nRUN cat <<< hello\nRUN b\n") ==
        std::vector<std::string>{"FROM|a|1", "RUN|cat <<< hello|2", "RUN|b|3"});
}

TEST_CASE("instructions: errors name file, line and column", "[init]") {
  CHECK(error_of("FROM a\nRUNN echo\n") ==
        "Dockerfile:2:1: unknown instruction 'RUNN' (did you mean 'RUN'?)\n  RUNN echo\n  ^");
  CHECK(error_of("FROM a\n  fro b\n") ==
        "Dockerfile:2:3: unknown instruction 'fro' (did you mean 'FROM'?)\n    fro b\n    ^");
  CHECK(error_of("# escape=x\nFROM a\n") ==
        "Dockerfile:1:10: escape must be '\\' or '`', not 'x'\n  # escape=x\n           ^");
  CHECK(error_of("# escape=`\n# escape=\\\nFROM a\n") ==
        "Dockerfile:2:3: the escape directive may appear only once\n  # escape=\\\n    ^");
  CHECK(error_of("FROM a\n[\"x\"]\n") ==
        "Dockerfile:2:1: expected an instruction (FROM, RUN, ...)\n  [\"x\"]\n  ^");
  std::string nested = "FROM a\nRUN echo ";
  for (int i = 0; i < 1001; ++i) nested += "${A:-";
  CHECK(error_of(nested + "\n")
            .starts_with(
                "Dockerfile:2:1: more than 1000 substitutions in one instruction; not read\n"));
  CHECK(error_of("FROM a\nRUN cat <<EOF\nhello\n") ==
        "Dockerfile:2:9: heredoc 'EOF' is never closed (no line 'EOF' follows)\n"
        "  RUN cat <<EOF\n          ^");
}
