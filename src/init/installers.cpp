#include "init/installers.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <array>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.hpp"
#include "core/file.hpp"
#include "ecosystems/pypi/requirement.hpp"

namespace driftlock::init {
namespace {

re2::StringPiece piece(std::string_view s) {
  return {s.data(), s.size()};
}
std::string_view view(re2::StringPiece p) {
  return {p.data(), p.size()};
}

template <std::size_t N>
bool one_of(std::string_view word, const std::array<std::string_view, N>& words) {
  for (std::string_view w : words) {
    if (w == word) return true;
  }
  return false;
}

const Ecosystem* ecosystem(const CommandSite& site, std::string_view name) {
  return find_ecosystem(site.ecosystems, name);
}

// The ecosystem's objection to a name, or "".
std::string name_problem(const CommandSite& site, std::string_view eco, std::string_view name) {
  const Ecosystem* e = ecosystem(site, eco);
  if (!e || !e->validate_name) return {};
  auto checked = e->validate_name(name);
  return checked ? std::string() : checked.error().message;
}

std::string range_problem(const CommandSite& site, std::string_view eco, std::string_view range) {
  const Ecosystem* e = ecosystem(site, eco);
  if (!e || !e->scheme || range == "*") return {};
  auto checked = e->scheme->validate_range(range);
  return checked ? std::string() : checked.error().message;
}

// ---------------------------------------------------------------------------
// apt

void read_apt_package(const Word& word, const std::optional<std::string>& suite,
                      const CommandSite& site) {
  static const RE2 package(
      R"(^([A-Za-z0-9][A-Za-z0-9+.-]*?)(?::([A-Za-z0-9-]+))?(?:=([^=/]+)|/([A-Za-z0-9._+~-]+))?$)");
  static const RE2 local_file(R"(^(?:\.|/|~)|\.deb$)");
  static const RE2 pattern(R"([*?\[\]^$])");
  if (word.problem != Problem::none) {
    site.unread(word, fmt::format("{}: {}", word.raw, word.why));
    return;
  }
  const std::string& text = word.text;
  if (RE2::PartialMatch(piece(text), local_file)) {
    site.unread(word, fmt::format("{}: a local package file, not a package name", text));
    return;
  }
  // `apt-get install pkg-` removes pkg.
  if (text.ends_with('-') && text.find('=') == std::string::npos) return;
  re2::StringPiece name, arch, version, release;
  if (RE2::PartialMatch(piece(text), pattern) ||
      !RE2::FullMatch(piece(text), package, &name, &arch, &version, &release)) {
    site.unread(word, fmt::format("{}: not a Debian package name", text));
    return;
  }
  if (auto problem = name_problem(site, "debian", view(name)); !problem.empty()) {
    site.unread(word, problem);
    return;
  }
  Found found{.ecosystem = "debian", .name = std::string(view(name)), .origin = site.at(word)};
  std::vector<std::string> notes;
  if (!arch.empty()) notes.push_back(fmt::format("architecture {}", view(arch)));
  if (!release.empty()) {
    notes.push_back(fmt::format("from suite {}", view(release)));
  } else if (suite) {
    notes.push_back(fmt::format("from suite {}", *suite));
  }
  if (!version.empty()) {
    const Ecosystem* debian = ecosystem(site, "debian");
    auto normalized = debian && debian->scheme ? debian->scheme->normalize(view(version))
                                               : Result<std::string>(std::string(view(version)));
    if (normalized) {
      found.hold = *normalized;
    } else {
      site.unread(word,
                  fmt::format("{}: {}; kept the range '*'", text, normalized.error().message));
    }
  }
  for (std::size_t i = 0; i < notes.size(); ++i) found.note += (i ? ", " : "") + notes[i];
  site.found(std::move(found));
}

// ---------------------------------------------------------------------------
// pip

// Options of pip (global, install, wheel, download) that take a value.
const std::set<std::string_view>& pip_options_with_value() {
  static const std::set<std::string_view> options = {"-r",
                                                     "--requirement",
                                                     "-c",
                                                     "--constraint",
                                                     "-e",
                                                     "--editable",
                                                     "-i",
                                                     "--index-url",
                                                     "--extra-index-url",
                                                     "-f",
                                                     "--find-links",
                                                     "-t",
                                                     "--target",
                                                     "--prefix",
                                                     "--root",
                                                     "--platform",
                                                     "--python-version",
                                                     "--implementation",
                                                     "--abi",
                                                     "--src",
                                                     "--upgrade-strategy",
                                                     "--progress-bar",
                                                     "--cache-dir",
                                                     "--log",
                                                     "--log-file",
                                                     "--proxy",
                                                     "--retries",
                                                     "--timeout",
                                                     "--trusted-host",
                                                     "--cert",
                                                     "--client-cert",
                                                     "--global-option",
                                                     "--install-option",
                                                     "--build-option",
                                                     "-C",
                                                     "--config-settings",
                                                     "--no-binary",
                                                     "--only-binary",
                                                     "--report",
                                                     "--python",
                                                     "--exists-action",
                                                     "--root-user-action",
                                                     "--keyring-provider",
                                                     "--use-feature",
                                                     "--use-deprecated",
                                                     "-w",
                                                     "--wheel-dir",
                                                     "-d",
                                                     "--dest",
                                                     "--resume-retries",
                                                     "--hash",
                                                     "--group"};
  return options;
}

constexpr std::string_view kPipShortWithValue = "rceiftwdC";

struct PipOption {
  std::string name;  // "-r", "--requirement"
  Word value;
};

bool is_url_or_path(std::string_view text) {
  static const RE2 path(
      R"(^(?:\.|/|~/|[A-Za-z][A-Za-z0-9+.-]*://|git\+|file:)|/|\.(?:whl|zip|tar\.gz|tgz|tar\.bz2)$)");
  return RE2::PartialMatch(piece(text), path);
}

void read_requirements_file(const std::filesystem::path& file, Origin via, const CommandSite& site,
                            int depth);

void read_requirements_option(const std::string& name, const Word& value, Origin origin,
                              const CommandSite& site, int depth,
                              const std::filesystem::path* relative_to) {
  if (value.problem != Problem::none) {
    site.unread(origin, fmt::format("{} {}: {}", name, value.raw, value.why));
    return;
  }
  if (name == "-c" || name == "--constraint") {
    site.unread(origin, fmt::format("{} {}: constraints are not read (they limit versions of "
                                    "packages installed for other reasons)",
                                    name, value.text));
    return;
  }
  if (name == "-e" || name == "--editable") {
    site.unread(origin, fmt::format("{} {}: an editable install of a local project or URL", name,
                                    value.text));
    return;
  }
  if (name != "-r" && name != "--requirement") return;
  if (value.text.find("://") != std::string::npos) {
    site.unread(origin,
                fmt::format("{} {}: a requirements file from a URL is not read", name, value.text));
    return;
  }
  std::optional<std::filesystem::path> file;
  if (relative_to && !value.text.starts_with('/')) {
    std::filesystem::path candidate = (relative_to->parent_path() / value.text).lexically_normal();
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec) && site.in_context(candidate)) {
      file = candidate;
    }
  } else {
    file = site.find_file(value.text);
  }
  if (!file) {
    site.unread(origin, fmt::format("{} {}: no such file in the build context", name, value.text));
    return;
  }
  if (depth >= 8) {
    site.unread(origin,
                fmt::format("{} {}: requirements files nested too deeply", name, value.text));
    return;
  }
  read_requirements_file(*file, origin, site, depth + 1);
}

// A requirements file: one requirement or option a line, `#` comments, `\`
// continuations, `${NAME}` from the environment (the Dockerfile's ENV).
void read_requirements_file(const std::filesystem::path& file, Origin via, const CommandSite& site,
                            int depth) {
  static const RE2 comment(R"((?:^|[ \t])#.*$)");
  static const RE2 trailing_options(R"([ \t]+--?[A-Za-z].*$)");
  static const RE2 variable(R"(\$\{([A-Z0-9_]+)\})");
  const std::string shown_path = site.display(file);
  auto text = read_file(file, "requirements file");
  if (!text) {
    site.unread(via, text.error().message);
    return;
  }
  std::string_view rest = *text;
  int number = 0;
  while (!rest.empty()) {
    // A logical line: physical lines joined at a trailing backslash.
    std::string line;
    const int first = number + 1;
    while (!rest.empty()) {
      const std::size_t nl = rest.find('\n');
      std::string_view physical = rest.substr(0, nl);
      rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
      ++number;
      if (!physical.empty() && physical.back() == '\r') physical.remove_suffix(1);
      if (physical.ends_with('\\')) {
        line.append(physical.substr(0, physical.size() - 1));
        continue;
      }
      line.append(physical);
      break;
    }
    RE2::Replace(&line, comment, "");
    const std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos) continue;
    const Origin origin{shown_path, first, static_cast<int>(start) + 1};
    // ${NAME} is replaced from the environment, as pip does.
    std::string expanded;
    std::string unknown;
    {
      re2::StringPiece input(line), name;
      std::size_t copied = 0;
      while (RE2::FindAndConsume(&input, variable, &name)) {
        const std::size_t match_end = static_cast<std::size_t>(input.data() - line.data());
        const std::size_t match_start = match_end - name.size() - 3;
        expanded.append(line, copied, match_start - copied);
        const Value* value = site.variables ? site.variables->find(view(name)) : nullptr;
        if (value && value->text) {
          expanded += *value->text;
        } else if (unknown.empty()) {
          unknown = fmt::format("${{{}}} is not set in the Dockerfile", view(name));
        }
        copied = match_end;
      }
      expanded.append(line, copied);
    }
    std::string_view body = std::string_view(expanded).substr(start);
    while (!body.empty() && (body.back() == ' ' || body.back() == '\t')) body.remove_suffix(1);
    if (!unknown.empty()) {
      std::string_view written = std::string_view(line).substr(start);
      while (!written.empty() && (written.back() == ' ' || written.back() == '\t')) {
        written.remove_suffix(1);
      }
      site.unread(origin, fmt::format("{}: {}", written, unknown));
      continue;
    }
    if (body.starts_with('-')) {
      // An option line: `-r other.txt`, `--requirement=other.txt`, `-c c.txt`, `-e .`.
      static const RE2 option(R"(^(--?[A-Za-z-]+)(?:[ \t]*=[ \t]*|[ \t]+)?(.*)$)");
      re2::StringPiece name, value;
      if (!RE2::FullMatch(piece(body), option, &name, &value)) continue;
      std::string option_name(view(name));
      std::string_view v = view(value);
      // `-rfile` spelled without a space.
      if (option_name.size() > 2 && option_name[1] != '-' &&
          kPipShortWithValue.find(option_name[1]) != std::string_view::npos) {
        v = body.substr(2);
        option_name = option_name.substr(0, 2);
      }
      Word word{.text = std::string(v), .raw = std::string(v)};
      read_requirements_option(option_name, word, origin, site, depth, &file);
      continue;
    }
    std::string requirement(body);
    RE2::Replace(&requirement, trailing_options, "");
    read_requirement(requirement, origin, via, site);
  }
}

// ---------------------------------------------------------------------------
// npm

const std::set<std::string_view>& npm_options_with_value() {
  static const std::set<std::string_view> options = {"--prefix",
                                                     "--registry",
                                                     "--loglevel",
                                                     "--cache",
                                                     "--userconfig",
                                                     "--globalconfig",
                                                     "-w",
                                                     "--workspace",
                                                     "--omit",
                                                     "--include",
                                                     "--install-strategy",
                                                     "--tag",
                                                     "--before",
                                                     "--cpu",
                                                     "--os",
                                                     "--libc",
                                                     "--save-prefix",
                                                     "--location",
                                                     "--fetch-retries",
                                                     "--fetch-timeout",
                                                     "--script-shell",
                                                     "--node-options"};
  return options;
}

constexpr std::array<std::string_view, 12> kNpmInstall = {"install", "i",      "in",      "ins",
                                                          "inst",    "insta",  "instal",  "isnt",
                                                          "isnta",   "isntal", "isntall", "add"};
constexpr std::array<std::string_view, 9> kNpmFromPackageJson = {"ci",
                                                                 "clean-install",
                                                                 "ic",
                                                                 "install-clean",
                                                                 "isntall-clean",
                                                                 "cit",
                                                                 "install-ci-test",
                                                                 "install-test",
                                                                 "it"};

bool unreadable_npm_range(std::string_view range) {
  static const RE2 other(
      R"(^(?:file:|link:|workspace:|npm:|git(?:\+|:|://)|https?:|github:|gitlab:|bitbucket:|\.|/|~/)|^[^@\s]+/[^\s]+$)");
  return RE2::PartialMatch(piece(range), other);
}

void read_package_json(const std::filesystem::path& file, Origin via, bool omit_dev,
                       const CommandSite& site) {
  const std::string shown_path = site.display(file);
  auto text = read_file(file, "package.json");
  if (!text) {
    site.unread(via, text.error().message);
    return;
  }
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    const SourceLocation at = locate(shown_path, *text, e.byte > 0 ? e.byte - 1 : 0);
    site.unread(Origin{shown_path, at.line, at.column},
                "package.json is not valid JSON; its dependencies are not read");
    return;
  } catch (const nlohmann::json::out_of_range&) {  // a number beyond a double: 1e999
    site.unread(
        Origin{shown_path, 1, 1},
        "package.json is not valid JSON (a number out of range); its dependencies are not read");
    return;
  }
  if (!document.is_object()) {
    site.unread(Origin{shown_path, 1, 1}, "package.json is not a JSON object");
    return;
  }
  std::vector<std::string_view> sections = {"dependencies", "optionalDependencies"};
  if (!omit_dev) sections.insert(sections.begin() + 1, "devDependencies");
  for (std::string_view section : sections) {
    auto it = document.find(section);
    if (it == document.end() || !it->is_object()) continue;
    const std::size_t section_at = text->find(fmt::format("\"{}\"", section));
    for (const auto& [name, value] : it->items()) {
      std::size_t at = text->find(nlohmann::json(name).dump(), section_at);
      if (at == std::string::npos) at = section_at;
      const SourceLocation location = locate(shown_path, *text, at);
      Origin origin{shown_path, location.line, location.column};
      if (!value.is_string()) {
        site.unread(origin, fmt::format("{} in {}: the range is not a string", name, section));
        continue;
      }
      const std::string range = value.get<std::string>();
      Found found{.ecosystem = "npm", .name = name, .origin = origin, .via = via};
      if (auto problem = name_problem(site, "npm", name); !problem.empty()) {
        site.unread(origin, problem);
        continue;
      }
      if (unreadable_npm_range(range)) {
        site.unread(origin, fmt::format("{}: \"{}\" is a path, URL, alias or git repository, not "
                                        "a version range",
                                        name, range));
        continue;
      }
      const std::string trimmed = std::string(range.empty() ? "*" : range);
      if (trimmed == "latest") {
        found.note = "npm tag latest";
      } else if (auto problem = range_problem(site, "npm", trimmed); !problem.empty()) {
        site.unread(origin, fmt::format("{}: {}", name, problem));
        continue;
      } else {
        found.range = trimmed;
      }
      if (section == "devDependencies") found.note = "devDependencies";
      site.found(std::move(found));
    }
  }
}

}  // namespace

void CommandSite::unread(Origin origin, std::string what) const {
  findings->unread.push_back({std::move(origin), std::move(what)});
}

void CommandSite::found(Found f) const {
  findings->dependencies.push_back(std::move(f));
}

void read_apt(std::span<const Word> args, const CommandSite& site) {
  static const std::set<std::string_view> with_value = {"-o",
                                                        "-c",
                                                        "-t",
                                                        "-a",
                                                        "--option",
                                                        "--config-file",
                                                        "--target-release",
                                                        "--default-release",
                                                        "--host-architecture"};
  static const RE2 release_option(R"(^(?:-t|--target-release|--default-release)=?(.+)$)");
  std::optional<std::string> suite;
  std::string subcommand;
  std::vector<const Word*> packages;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const Word& word = args[i];
    const std::string& text = word.text;
    if (text.starts_with('-') && text.size() > 1) {
      re2::StringPiece release;
      if (with_value.contains(text) && i + 1 < args.size()) {
        if (text == "-t" || text == "--target-release" || text == "--default-release") {
          suite = args[i + 1].text;
        }
        ++i;
      } else if (RE2::FullMatch(piece(text), release_option, &release) &&
                 (text.find('=') != std::string::npos || text.starts_with("-t"))) {
        suite = std::string(view(release));
      }
      continue;
    }
    if (subcommand.empty()) {
      subcommand = text;
      continue;
    }
    packages.push_back(&word);
  }
  if (subcommand == "install" || subcommand == "reinstall") {
    for (const Word* word : packages) read_apt_package(*word, suite, site);
  } else if (subcommand == "build-dep" || subcommand == "satisfy" || subcommand == "source") {
    site.unread(site.locate(args.empty() ? 0 : args.front().offset),
                fmt::format("{}: apt {} installs what a package's build needs, which is not read",
                            site.command_text, subcommand));
  }
}

void read_pip(std::span<const Word> args, const CommandSite& site) {
  std::string subcommand;
  std::vector<PipOption> options;
  std::vector<const Word*> packages;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const Word& word = args[i];
    const std::string& text = word.text;
    if (text.starts_with("--")) {
      const std::size_t eq = text.find('=');
      std::string name = text.substr(0, eq);
      if (eq != std::string::npos) {
        Word value = word;
        value.text = text.substr(eq + 1);
        options.push_back({name, value});
      } else if (pip_options_with_value().contains(name) && i + 1 < args.size()) {
        options.push_back({name, args[++i]});
      }
      continue;
    }
    if (text.starts_with('-') && text.size() > 1) {
      // Short options may be clustered: `-qr requirements.txt`, `-Ur file`.
      for (std::size_t k = 1; k < text.size(); ++k) {
        if (kPipShortWithValue.find(text[k]) == std::string_view::npos) continue;
        if (k + 1 < text.size()) {
          Word value = word;
          value.text = text.substr(k + 1);
          options.push_back({fmt::format("-{}", text[k]), value});
        } else if (i + 1 < args.size()) {
          options.push_back({fmt::format("-{}", text[k]), args[++i]});
        }
        break;
      }
      continue;
    }
    if (subcommand.empty()) {
      subcommand = text;
      continue;
    }
    packages.push_back(&word);
  }
  if (subcommand != "install" && subcommand != "wheel" && subcommand != "download") return;
  for (const PipOption& option : options) {
    read_requirements_option(option.name, option.value, site.at(option.value), site, 0, nullptr);
  }
  for (const Word* word : packages) {
    if (word->problem != Problem::none) {
      site.unread(*word, fmt::format("{}: {}", word->raw, word->why));
      continue;
    }
    read_requirement(word->text, site.at(*word), std::nullopt, site);
  }
}

void read_requirement(std::string_view text, Origin origin, std::optional<Origin> via,
                      const CommandSite& site) {
  auto requirement =
      is_url_or_path(text) ? std::nullopt : ecosystems::pypi::parse_requirement(text);
  if (!requirement) {
    site.unread(origin, fmt::format("{}: a local path or URL, not a package name", text));
    return;
  }
  if (requirement->direct_url) {
    site.unread(origin, fmt::format("{}: a direct URL reference, not a version range", text));
    return;
  }
  if (auto problem = name_problem(site, "pypi", requirement->name); !problem.empty()) {
    site.unread(origin, problem);
    return;
  }
  std::string range = requirement->specifier;
  if (range.empty()) range = "*";
  if (auto problem = range_problem(site, "pypi", range); !problem.empty()) {
    site.unread(origin, fmt::format("{}: {}", text, problem));
    return;
  }
  Found found{.ecosystem = "pypi",
              .name = requirement->name,
              .range = range,
              .origin = std::move(origin),
              .via = std::move(via)};
  if (!requirement->marker.empty()) {
    found.note = fmt::format("only where {}", requirement->marker);
  }
  site.found(std::move(found));
}

void read_npm_package(std::string_view text, Origin origin, const CommandSite& site) {
  static const RE2 spec(R"(^((?:@[^/@\s]+/)?[^@/\s]+)(?:@(.*))?$)");
  static const RE2 tag(R"(^[A-Za-z][A-Za-z0-9._-]*$)");
  re2::StringPiece name, range;
  if (unreadable_npm_range(text) || !RE2::FullMatch(piece(text), spec, &name, &range)) {
    site.unread(origin,
                fmt::format("{}: a path, tarball URL or git repository, not a package", text));
    return;
  }
  if (unreadable_npm_range(view(range))) {
    site.unread(origin, fmt::format("{}: an alias, path or URL, not a version range", text));
    return;
  }
  if (auto problem = name_problem(site, "npm", view(name)); !problem.empty()) {
    site.unread(origin, problem);
    return;
  }
  Found found{.ecosystem = "npm", .name = std::string(view(name)), .origin = std::move(origin)};
  const std::string r = range.empty() ? "*" : std::string(view(range));
  if (r == "latest") {
    found.note = "npm tag latest";
  } else if (auto problem = range_problem(site, "npm", r); !problem.empty()) {
    if (RE2::FullMatch(r, tag)) {
      site.unread(found.origin, fmt::format("{}: npm tag '{}' is not a version range", text, r));
    } else {
      site.unread(found.origin, fmt::format("{}: {}", text, problem));
    }
    return;
  } else {
    found.range = r;
  }
  site.found(std::move(found));
}

void read_npm(std::span<const Word> args, const CommandSite& site) {
  std::string subcommand;
  bool omit_dev = false;
  std::vector<const Word*> packages;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const Word& word = args[i];
    const std::string& text = word.text;
    if (text.starts_with('-') && text.size() > 1) {
      std::string name = text.substr(0, text.find('='));
      std::string value =
          text.find('=') != std::string::npos ? text.substr(text.find('=') + 1) : std::string();
      if (value.empty() && npm_options_with_value().contains(name) && i + 1 < args.size()) {
        value = args[++i].text;
      }
      if ((name == "--omit" && value == "dev") || name == "--production" ||
          (name == "--only" && (value == "prod" || value == "production"))) {
        omit_dev = true;
      }
      continue;
    }
    if (subcommand.empty()) {
      subcommand = text;
      continue;
    }
    packages.push_back(&word);
  }
  if (site.variables) {
    if (const Value* env = site.variables->find("NODE_ENV"); env && env->text == "production") {
      omit_dev = true;
    }
  }
  const bool install = one_of(subcommand, kNpmInstall);
  if (install && !packages.empty()) {
    for (const Word* word : packages) {
      if (word->problem != Problem::none) {
        site.unread(*word, fmt::format("{}: {}", word->raw, word->why));
        continue;
      }
      read_npm_package(word->text, site.at(*word), site);
    }
    return;
  }
  if (!install && !one_of(subcommand, kNpmFromPackageJson)) return;
  const Origin origin = site.locate(args.empty() ? 0 : args.front().offset);
  auto file = site.find_file("package.json");
  if (!file) {
    site.unread(origin, fmt::format("npm {}: no package.json in the build context", subcommand));
    return;
  }
  read_package_json(*file, origin, omit_dev, site);
}

}  // namespace driftlock::init
