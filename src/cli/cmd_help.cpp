// `driftlock help [COMMAND|exit-codes]`.
#include <fmt/format.h>

#include <ostream>

#include "cli/command.hpp"
#include "core/suggest.hpp"

namespace driftlock::cli {
namespace {

constexpr std::string_view kExitCodes =
    "exit codes:\n"
    "  0  success; no drift; 'version satisfies' says yes\n"
    "  1  the candidate is worse than the baseline: culprits named (every safe\n"
    "     update still shipped); 'check': the snapshot fails; 'version satisfies'\n"
    "     says no\n"
    "  2  usage or input error: a bad flag, manifest, snapshot, version or range\n"
    "     (nothing was changed)\n"
    "  3  infrastructure error: a registry, a timeout, a broken baseline, disk or\n"
    "     process failure (nothing was changed)\n";

}  // namespace

Result<int> run_help(Context& context) {
  if (context.args.empty()) {
    context.out << overview();
    return 0;
  }
  const std::string& topic = context.args[0];
  if (topic == "exit-codes") {
    context.out << kExitCodes;
    return 0;
  }
  if (const Command* command = find_command(topic); command && command->run != &run_help) {
    Context sub{context.out,   context.err,        context.color,
                context.clock, context.ecosystems, {"--help"}};
    return command->run(sub);
  }
  std::vector<std::string_view> topics = {"exit-codes"};
  for (const Command& c : commands()) topics.push_back(c.name);
  return fail(ErrorKind::usage,
              fmt::format("no help for '{}'{}", topic, did_you_mean(topic, topics)));
}

}  // namespace driftlock::cli
