#include "cli/parse.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <deque>
#include <limits>
#include <optional>

#include "core/suggest.hpp"
#include "core/text.hpp"

namespace driftlock::cli {
namespace {

// Where CLI11 writes one option's values.
struct Bound {
  const OptionSpec* spec = nullptr;
  CLI::Option* option = nullptr;
  std::string one;
  std::vector<std::string> many;
  bool flag = false;
};

void add_option(CLI::App& app, const OptionSpec& spec, std::deque<Bound>& bound) {
  Bound& b = bound.emplace_back();
  b.spec = &spec;
  const std::string names(spec.names);
  const std::string help(spec.help);
  switch (spec.arity) {
    case Arity::flag:
      b.option = app.add_flag(names, b.flag, help);
      break;
    case Arity::one:
      b.option = app.add_option(names, b.one, help);
      break;
    case Arity::many:
      b.option = app.add_option(names, b.many, help);
      break;
  }
  if (!spec.value_name.empty()) b.option->type_name(std::string(spec.value_name));
  if (spec.presence == Presence::required) b.option->required();
  if (spec.hidden) b.option->group("");
}

void configure(CLI::App& app) {
  app.set_help_flag("-h,--help", "show this help");
  app.get_formatter()->column_width(28);
}

// The app for `command`, with every option bound into `bound`.
void build(CLI::App& app, const Command& command, std::deque<Bound>& bound) {
  configure(app);
  for (const OptionSpec& spec : command.options) add_option(app, spec, bound);
  for (const OptionSpec& spec : kCommonOptions) add_option(app, spec, bound);
  if (!command.footer.empty()) app.footer(std::string(command.footer));
  if (command.subcommands.empty()) return;
  app.require_subcommand(0, 1);
  for (const Command& sub : command.subcommands) {
    CLI::App* child = app.add_subcommand(std::string(sub.name), std::string(sub.description));
    configure(*child);
    child->fallthrough();  // -q and the like after the subcommand's name
    for (const OptionSpec& spec : sub.options) add_option(*child, spec, bound);
  }
}

std::string app_name(const Command& command) {
  return fmt::format("driftlock {}", command.name);
}

// An unknown option: the closest known one.
std::string unknown_option_message(const CLI::App& app, std::span<const std::string> words,
                                   std::string fallback) {
  std::vector<std::string> names;
  auto collect = [&names](const CLI::App& a) {
    for (const CLI::Option* opt : a.get_options()) {
      for (const std::string& l : opt->get_lnames()) names.push_back("--" + l);
      for (const std::string& s : opt->get_snames()) names.push_back("-" + s);
    }
  };
  collect(app);
  for (const CLI::App* sub : app.get_subcommands({})) collect(*sub);
  for (const std::string& word : words) {
    if (word.size() < 2 || word[0] != '-') continue;
    const std::string flag = word.substr(0, word.find('='));
    if (std::find(names.begin(), names.end(), flag) != names.end()) continue;
    // "-qv": short flags bundled, each known.
    if (flag[1] != '-' && std::all_of(flag.begin() + 1, flag.end(), [&](char c) {
          return std::find(names.begin(), names.end(), std::string{'-', c}) != names.end();
        })) {
      continue;
    }
    std::vector<std::string_view> views(names.begin(), names.end());
    return fmt::format("unknown option '{}'{}", flag, did_you_mean(flag, views));
  }
  return fallback;
}

// A whole number in the option's range; the message when it is not.
std::optional<std::string> integer_problem(const OptionSpec& spec, const std::string& value) {
  int number = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, number);
  if (ec == std::errc() && ptr == end && number >= spec.integer.min && number <= spec.integer.max) {
    return std::nullopt;
  }
  const std::string range = spec.integer.max == std::numeric_limits<int>::max()
                                ? fmt::format("of at least {}", spec.integer.min)
                                : fmt::format("from {} to {}", spec.integer.min, spec.integer.max);
  return fmt::format("{} must be a whole number {}, not '{}'", primary_name(spec), range,
                     escape_for_message(value, 40));
}

}  // namespace

std::string help_text(const Command& command) {
  CLI::App app{std::string(command.description), app_name(command)};
  std::deque<Bound> bound;
  build(app, command, bound);
  return app.help();
}

Result<std::variant<Args, Helped>> parse_command_line(const Command& command,
                                                      std::span<const std::string> words) {
  CLI::App app{std::string(command.description), app_name(command)};
  std::deque<Bound> bound;
  build(app, command, bound);
  std::vector<std::string> reversed(words.rbegin(), words.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    return Helped{app.help()};
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
      message = unknown_option_message(app, words, std::move(message));
    }
    return fail(ErrorKind::usage, fmt::format("{}: {}\nrun '{} --help' for usage", command.name,
                                              message, app_name(command)));
  }

  Args args;
  for (const Bound& b : bound) {
    const std::string_view name = primary_name(*b.spec);
    if (!b.spec->default_value.empty()) args.set_default(name, std::string(b.spec->default_value));
    if (b.option->count() == 0) continue;
    if (b.spec->integer.checked()) {
      if (auto problem = integer_problem(*b.spec, b.one)) {
        return fail(ErrorKind::usage, fmt::format("{}: {}\nrun '{} --help' for usage", command.name,
                                                  *problem, app_name(command)));
      }
    }
    switch (b.spec->arity) {
      case Arity::flag:
        args.set(name, {});
        break;
      case Arity::one:
        args.set(name, {b.one});
        break;
      case Arity::many:
        args.set(name, b.many);
        break;
    }
  }
  for (const CLI::App* sub : app.get_subcommands()) args.set_subcommand(sub->get_name());
  return args;
}

}  // namespace driftlock::cli
