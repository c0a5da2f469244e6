// Containerfile/Dockerfile instructions and shell words, as `init` reads them
// (read_dockerfile itself also looks up files in the build context; not here).
#include "fuzz_input.hpp"
#include "init/instructions.hpp"
#include "init/shell.hpp"

using namespace driftlock;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  if (const auto instructions = init::read_instructions(text, "Dockerfile")) {
    (void)instructions->list.size();
  }
  const init::Variables variables;
  for (const auto& command : init::split_commands(text)) {
    for (const auto& word : command.words) {
      (void)init::expand(word, variables);
    }
  }
  for (const auto& word : init::split_words(text)) {
    (void)init::expand(word, variables, '`');
  }
  (void)init::split_words(text, '`');
  return 0;
}
