// `driftlock completion bash|zsh|fish` prints a completion script generated
// from the command table; `--dependencies` is what the scripts ask for
// pin/unpin/unhold: the manifest's dependencies as ECO:NAME.
#include <fmt/format.h>

#include <ostream>

#include "cli/args.hpp"
#include "cli/completion.hpp"
#include "core/manifest.hpp"
#include "core/suggest.hpp"

namespace driftlock::cli {

Result<int> run_completion(Context& context, const Args& args) {
  if (args.given("--dependencies")) {
    auto manifest = load_manifest(args.value("--manifest"), context.ecosystems);
    if (!manifest) return std::unexpected(manifest.error());
    for (const DependencySpec& d : manifest->dependencies) {
      context.out << d.ecosystem << ':' << d.name << '\n';
    }
    return 0;
  }
  const std::string& name = args.value("shell");
  if (name.empty()) {
    return fail(ErrorKind::usage,
                "completion: name a shell: bash, zsh or fish\n"
                "run 'driftlock completion --help' for how to install the script");
  }
  auto shell = parse_shell(name);
  if (!shell) {
    constexpr std::string_view shells[] = {"bash", "zsh", "fish"};
    return fail(ErrorKind::usage, fmt::format("completion: unknown shell '{}' (expected bash, "
                                              "zsh or fish){}",
                                              name, did_you_mean(name, shells)));
  }
  context.out << completion_script(*shell);
  return 0;
}

}  // namespace driftlock::cli
