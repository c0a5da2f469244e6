#include "cli/args.hpp"

#include "store/state_dir.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "core/suggest.hpp"

namespace driftlock::cli {

void configure_app(CLI::App& app) {
  app.set_help_flag("-h,--help", "show this help");
  app.get_formatter()->column_width(28);
}

Result<ParseStatus> parse_args(CLI::App& app, Context& context) {
  std::vector<std::string> reversed(context.args.rbegin(), context.args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    context.out << app.help();
    return ParseStatus::helped;
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    // An unknown option: suggest the closest known one.
    if (auto* extras = dynamic_cast<const CLI::ExtrasError*>(&e)) {
      (void)extras;
      for (const std::string& arg : context.args) {
        if (arg.size() < 2 || arg[0] != '-') continue;
        std::string flag = arg.substr(0, arg.find('='));
        bool known = false;
        std::vector<std::string> names;
        for (const CLI::Option* opt : app.get_options()) {
          for (const std::string& l : opt->get_lnames()) names.push_back("--" + l);
          for (const std::string& s : opt->get_snames()) names.push_back("-" + s);
        }
        known = std::find(names.begin(), names.end(), flag) != names.end();
        if (!known) {
          std::vector<std::string_view> views(names.begin(), names.end());
          message = fmt::format("unknown option '{}'{}", flag, did_you_mean(flag, views));
          break;
        }
      }
    }
    return fail(ErrorKind::usage, fmt::format("{}: {}\nrun '{} --help' for usage",
                                              app.get_name().substr(10), message, app.get_name()));
  }
  return ParseStatus::run;
}

CLI::Option* add_manifest_option(CLI::App& app, std::string& manifest) {
  manifest = "driftlock.toml";
  return app.add_option("-m,--manifest", manifest, "the manifest (default: ./driftlock.toml)");
}

CLI::Option* add_state_dir_option(CLI::App& app, std::string& state_dir) {
  return app.add_option("--state-dir", state_dir,
                        "the state folder (default: .driftlock beside the manifest)");
}

std::filesystem::path state_folder(const std::string& state_dir,
                                   const std::filesystem::path& manifest_path) {
  return state_dir.empty() ? store::default_state_folder(manifest_path)
                           : std::filesystem::path(state_dir);
}

CLI::Option* add_format_option(CLI::App& app, std::string& format) {
  format = "text";
  return app.add_option("--format", format, "output format: text, json or markdown");
}

Result<publish::OutputFormat> output_format(const std::string& name) {
  if (auto f = publish::parse_output_format(name)) return *f;
  constexpr std::string_view formats[] = {"text", "json", "markdown"};
  return fail(ErrorKind::usage,
              fmt::format("unknown format '{}' (expected text, json or markdown){}", name,
                          did_you_mean(name, formats)));
}

CLI::Option* add_flaky_tests_option(CLI::App& app, std::string& mode) {
  return app.add_option("--flaky-tests", mode,
                        "auto, expect or trust: how far a failing build is believed "
                        "(default: [policy] flaky-tests, else auto)");
}

Result<std::optional<FlakyTests>> flaky_tests_mode(const std::string& name) {
  if (name.empty()) return std::optional<FlakyTests>();
  if (auto mode = parse_flaky_tests(name)) return std::optional<FlakyTests>(*mode);
  return fail(ErrorKind::usage,
              fmt::format("unknown --flaky-tests mode '{}' (expected auto, expect or trust){}",
                          name, did_you_mean(name, kFlakyTestsNames)));
}

}  // namespace driftlock::cli
