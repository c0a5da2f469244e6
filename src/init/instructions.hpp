// The first reading of a Dockerfile: parser directives (`# escape=`),
// comments, continuation lines and heredocs, giving one Instruction per
// instruction with a map back to the physical lines for messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace driftlock::init {

// Where a piece of joined text starts in the file: the byte `offset` of the
// joined text is at (line, column) and the bytes after it follow on that line.
struct Span {
  std::size_t offset = 0;
  int line = 0;
  int column = 0;
};

struct Position {
  int line = 0;
  int column = 0;
};

// A heredoc's body (`RUN <<EOF` ... `EOF`).
struct Heredoc {
  std::string delimiter;  // "EOF"
  std::string body;       // the lines between, each ending in '\n'
  std::vector<Span> spans;
};

struct Instruction {
  std::string keyword;    // upper case: "RUN"
  std::string arguments;  // after the keyword, continuation lines joined
  int line = 0;           // of the keyword
  int column = 0;
  std::vector<Span> spans;  // of `arguments`, in order
  std::vector<Heredoc> heredocs;

  // The physical place of byte `offset` of `arguments`.
  Position position(std::size_t offset) const;
};

// The place of byte `offset` of a text whose pieces `spans` describe.
Position position_in(const std::vector<Span>& spans, std::size_t offset);

// The instructions of a Dockerfile, with the escape character its
// `# escape=` directive chose ('\\' by default). Errors (an unknown
// instruction, a bad directive) carry `path`:line:column.
struct Instructions {
  std::vector<Instruction> list;
  char escape = '\\';
};

Result<Instructions> read_instructions(std::string_view text, const std::string& path);

}  // namespace driftlock::init
