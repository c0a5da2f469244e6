// `driftlock help [COMMAND|exit-codes] [--man]`.
#include <fmt/format.h>

#include <ostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/man_page.hpp"
#include "cli/parse.hpp"
#include "core/suggest.hpp"

namespace driftlock::cli {

Result<int> run_help(Context& context, const Args& args) {
  if (args.given("--man")) {
    context.out << man_page();
    return 0;
  }
  const std::string& topic = args.value("topic");
  if (topic.empty()) {
    context.out << overview();
    return 0;
  }
  if (topic == "exit-codes") {
    context.out << exit_codes_text();
    return 0;
  }
  if (const Command* command = find_command(topic)) {
    context.out << help_text(*command);
    return 0;
  }
  std::vector<std::string_view> topics = {"exit-codes"};
  for (const Command& c : commands()) topics.push_back(c.name);
  return fail(ErrorKind::usage,
              fmt::format("no help for '{}'{}", topic, did_you_mean(topic, topics)));
}

}  // namespace driftlock::cli
