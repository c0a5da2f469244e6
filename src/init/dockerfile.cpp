#include "init/dockerfile.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "init/installers.hpp"
#include "init/instructions.hpp"
#include "init/shell.hpp"

namespace driftlock::init {
namespace {

namespace fs = std::filesystem;

re2::StringPiece piece(std::string_view s) {
  return {s.data(), s.size()};
}
std::string_view view(re2::StringPiece p) {
  return {p.data(), p.size()};
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Messages quote commands; a long one is cut.
std::string clipped(std::string text) {
  constexpr std::size_t kMax = 72;
  if (text.size() > kMax) text = text.substr(0, kMax - 3) + "...";
  return text;
}

// ARGs every builder sets itself (BuildKit's automatic platform ARGs).
bool is_platform_arg(std::string_view name) {
  static const std::set<std::string_view> names = {"TARGETPLATFORM", "TARGETOS",      "TARGETARCH",
                                                   "TARGETVARIANT",  "BUILDPLATFORM", "BUILDOS",
                                                   "BUILDARCH",      "BUILDVARIANT"};
  return names.contains(name);
}

// Package managers of ecosystems driftlock does not read, with the
// subcommands that install (none listed: every use installs).
const std::map<std::string_view, std::vector<std::string_view>>& other_managers() {
  static const std::map<std::string_view, std::vector<std::string_view>> managers = {
      {"apk", {"add"}},
      {"yum", {"install", "groupinstall", "localinstall"}},
      {"dnf", {"install", "groupinstall"}},
      {"microdnf", {"install"}},
      {"tdnf", {"install"}},
      {"zypper", {"install", "in"}},
      {"pacman", {"-S", "-Sy", "-Syu", "-U", "--sync"}},
      {"gem", {"install"}},
      {"cargo", {"install"}},
      {"go", {"install", "get"}},
      {"conda", {"install", "create"}},
      {"mamba", {"install", "create"}},
      {"micromamba", {"install", "create"}},
      {"pipx", {"install"}},
      {"poetry", {"install", "add"}},
      {"pipenv", {"install"}},
      {"uv", {"add", "sync", "tool"}},
      {"yarn", {"add", "install", "global", ""}},
      {"pnpm", {"add", "install", "i"}},
      {"bun", {"add", "install", "i"}},
      {"composer", {"require", "install"}},
      {"brew", {"install"}},
      {"snap", {"install"}},
      {"flatpak", {"install"}},
      {"nix-env", {"-i", "--install", "-iA"}},
      {"luarocks", {"install"}},
      {"cpanm", {}},
  };
  return managers;
}

struct Copy {
  std::vector<std::string> sources;  // relative to the build context
  std::string destination;           // absolute in the image
  bool into_folder = false;
};

struct Stage {
  std::string name;  // lower case; "" when the stage has none
  Variables variables;
  std::string workdir = "/";
  std::vector<Copy> copies;
};

// What the previous command of a pipeline was, for `curl ... | sh`.
struct Previous {
  std::string program;
  std::string text;
};

std::string joined_path(std::string_view base, std::string_view path) {
  fs::path p = path.starts_with('/') ? fs::path(path) : fs::path(base) / path;
  std::string out = p.lexically_normal().generic_string();
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

bool glob_matches(std::string_view pattern, std::string_view name) {
  std::string regex;
  for (char c : pattern) {
    if (c == '*') {
      regex += "[^/]*";
    } else if (c == '?') {
      regex += "[^/]";
    } else {
      regex += RE2::QuoteMeta(std::string(1, c));
    }
  }
  return RE2::FullMatch(piece(name), RE2(regex));
}

class Reader {
 public:
  Reader(std::string_view text, const std::string& path, const fs::path& context,
         EcosystemTable ecosystems)
      : m_text(text), m_path(path), m_context(context), m_ecosystems(ecosystems) {}

  Result<Findings> read() {
    auto instructions = read_instructions(m_text, m_path);
    if (!instructions) return std::unexpected(instructions.error());
    m_escape = instructions->escape;
    for (const Instruction& instruction : instructions->list) {
      if (auto done = dispatch(instruction); !done) return std::unexpected(done.error());
    }
    if (m_stages.empty()) {
      return fail_at(locate_line(m_path, m_text, 1, 1),
                     "no FROM instruction: a Dockerfile starts with FROM (or ARG, then FROM)");
    }
    return std::move(m_findings);
  }

 private:
  Origin origin(const Instruction& instruction, std::size_t offset) const {
    const Position at = instruction.position(offset);
    return {m_path, at.line, at.column};
  }

  std::unexpected<Error> error_at(const Instruction& instruction, std::size_t offset,
                                  std::string message) const {
    const Position at = instruction.position(offset);
    return fail_at(locate_line(m_path, m_text, at.line, at.column), std::move(message));
  }

  Variables& scope() { return m_stages.empty() ? m_globals : m_stages.back().variables; }

  // Docker's own substitution (FROM, ARG, ENV, COPY, WORKDIR): a `${`
  // without `}` is an error, as it is for the builder.
  Result<Word> docker_word(const Instruction& instruction, const RawWord& raw,
                           const Variables& variables) const {
    Word word = expand(raw, variables, m_escape);
    if (word.problem == Problem::syntax) return error_at(instruction, raw.offset, word.why);
    return word;
  }

  Result<void> dispatch(const Instruction& instruction) {
    const std::string& keyword = instruction.keyword;
    if (m_stages.empty() && keyword != "FROM" && keyword != "ARG") {
      return fail_at(
          locate_line(m_path, m_text, instruction.line, instruction.column),
          fmt::format("{} before the first FROM (only ARG may come before it)", keyword));
    }
    if (keyword == "FROM") return from(instruction);
    if (keyword == "ARG") return arg(instruction);
    if (keyword == "ENV") return env(instruction);
    if (keyword == "WORKDIR") return workdir(instruction);
    if (keyword == "COPY" || keyword == "ADD") return copy(instruction);
    if (keyword == "RUN") run(instruction);
    return {};
  }

  Result<void> from(const Instruction& instruction) {
    static const RE2 flag(R"(^--[A-Za-z-]+(?:=.*)?$)");
    const std::vector<RawWord> words = split_words(instruction.arguments, m_escape);
    std::size_t i = 0;
    while (i < words.size() && RE2::FullMatch(piece(words[i].text), flag)) ++i;
    if (i >= words.size()) {
      return fail_at(locate_line(m_path, m_text, instruction.line, instruction.column),
                     "FROM needs an image");
    }
    Stage stage;
    if (i + 2 < words.size() && lower(words[i + 1].text) == "as") {
      stage.name = lower(words[i + 2].text);
    }
    auto image = docker_word(instruction, words[i], m_globals);
    if (!image) return std::unexpected(image.error());
    const Origin at = origin(instruction, words[i].offset);
    if (image->problem != Problem::none) {
      m_findings.unread.push_back({at, fmt::format("FROM {}: {}", image->raw, image->why)});
    } else {
      const std::string name = lower(image->text);
      auto parent = std::ranges::find_if(m_stages, [&](const Stage& s) { return s.name == name; });
      if (parent != m_stages.end()) {
        stage.variables = parent->variables.environment();
        stage.workdir = parent->workdir;
        stage.copies = parent->copies;
      } else if (name != "scratch") {
        read_image(image->text, at, "FROM");
      }
    }
    m_stages.push_back(std::move(stage));
    return {};
  }

  void read_image(std::string_view text, Origin at, std::string_view how) {
    static const RE2 reference(
        R"(^([^@]+?)(?::([A-Za-z0-9_][A-Za-z0-9._-]{0,127}))?(?:@([A-Za-z0-9_+.-]+:[A-Za-z0-9=_-]+))?$)");
    re2::StringPiece name, tag, digest;
    if (!RE2::FullMatch(piece(text), reference, &name, &tag, &digest)) {
      m_findings.unread.push_back({at, fmt::format("{} {}: not an image reference", how, text)});
      return;
    }
    const Ecosystem* oci = find_ecosystem(m_ecosystems, "oci");
    if (oci && oci->validate_name) {
      if (auto checked = oci->validate_name(view(name)); !checked) {
        m_findings.unread.push_back(
            {at, fmt::format("{} {}: {}", how, text, checked.error().message)});
        return;
      }
    }
    if (oci && oci->scheme && !tag.empty()) {
      if (auto checked = oci->scheme->validate_range(view(tag)); !checked) {
        m_findings.unread.push_back(
            {at, fmt::format("{} {}: {}", how, text, checked.error().message)});
        return;
      }
    }
    Found found{.ecosystem = "oci", .name = std::string(view(name)), .origin = at};
    if (tag.empty() && !digest.empty()) {
      m_findings.unread.push_back(
          {at, fmt::format("{} {}: cannot follow a bare digest (name the tag it came from: "
                           "{}:TAG@{})",
                           how, text, view(name), view(digest))});
      return;
    }
    if (tag.empty()) {
      found.range = "latest";
      found.note = "no tag in the Dockerfile: latest";
    } else {
      found.range = std::string(view(tag));
    }
    if (!digest.empty()) {
      found.note = fmt::format("the Dockerfile pins {}; driftlock follows the tag",
                               view(digest).substr(0, 19));
    }
    m_findings.dependencies.push_back(std::move(found));
  }

  Result<void> arg(const Instruction& instruction) {
    static const RE2 declaration(R"(^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$)");
    const std::vector<RawWord> words = split_words(instruction.arguments, m_escape);
    if (words.empty()) return error_at(instruction, 0, "ARG needs a name");
    for (const RawWord& raw : words) {
      re2::StringPiece name, value;
      if (!RE2::FullMatch(piece(raw.text), declaration, &name, &value)) {
        return error_at(instruction, raw.offset,
                        fmt::format("invalid ARG '{}' (expected NAME or NAME=default)", raw.text));
      }
      const std::string n(view(name));
      Value v;
      if (value.data() != nullptr) {
        RawWord default_raw{std::string(view(value)), raw.offset + name.size() + 1};
        auto word = docker_word(instruction, default_raw, scope());
        if (!word) return std::unexpected(word.error());
        if (word->problem == Problem::none) {
          v.text = word->text;
        } else {
          v.unknown_because = fmt::format("its default {}: {}", word->raw, word->why);
        }
      } else if (const Value* global = m_globals.find(n); !m_stages.empty() && global) {
        v = *global;
      } else if (is_platform_arg(n)) {
        v.unknown_because = fmt::format("ARG {} is set by the builder", n);
      } else {
        v.unknown_because =
            fmt::format("ARG {} has no default; the build sets it with --build-arg", n);
        if (std::ranges::find(m_findings.build_args, n) == m_findings.build_args.end()) {
          m_findings.build_args.push_back(n);
        }
      }
      scope().set_arg(n, std::move(v));
    }
    return {};
  }

  Result<void> env(const Instruction& instruction) {
    static const RE2 pair(R"(^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$)");
    const std::vector<RawWord> words = split_words(instruction.arguments, m_escape);
    if (words.empty()) return error_at(instruction, 0, "ENV needs NAME=value");
    // Every value is substituted with the variables before this instruction.
    const Variables before = scope();
    std::vector<std::pair<std::string, Value>> values;
    re2::StringPiece name, value;
    if (!RE2::FullMatch(piece(words[0].text), pair, &name, &value)) {
      // The old form: ENV NAME the rest of the line.
      const std::size_t start = words.size() > 1 ? words[1].offset : instruction.arguments.size();
      RawWord rest{instruction.arguments.substr(start), start};
      auto word = docker_word(instruction, rest, before);
      if (!word) return std::unexpected(word.error());
      values.emplace_back(words[0].text, to_value(*word));
    } else {
      for (const RawWord& raw : words) {
        if (!RE2::FullMatch(piece(raw.text), pair, &name, &value)) {
          return error_at(instruction, raw.offset,
                          fmt::format("ENV expects NAME=value, not '{}'", raw.text));
        }
        RawWord value_raw{std::string(view(value)), raw.offset + name.size() + 1};
        auto word = docker_word(instruction, value_raw, before);
        if (!word) return std::unexpected(word.error());
        values.emplace_back(std::string(view(name)), to_value(*word));
      }
    }
    for (auto& [n, v] : values) scope().set_env(n, std::move(v));
    return {};
  }

  static Value to_value(const Word& word) {
    Value v;
    if (word.problem == Problem::none) {
      v.text = word.text;
    } else {
      v.unknown_because = fmt::format("its value {}: {}", word.raw, word.why);
    }
    return v;
  }

  Result<void> workdir(const Instruction& instruction) {
    auto word = docker_word(instruction, RawWord{instruction.arguments, 0}, scope());
    if (!word) return std::unexpected(word.error());
    if (word->problem == Problem::none && !word->text.empty()) {
      m_stages.back().workdir = joined_path(m_stages.back().workdir, word->text);
    }
    return {};
  }

  Result<void> copy(const Instruction& instruction) {
    static const RE2 flag(R"(^--([A-Za-z-]+)(?:=(.*))?$)");
    if (!instruction.heredocs.empty()) return {};  // COPY <<EOF writes a file
    const std::vector<RawWord> raw = split_words(instruction.arguments, m_escape);
    std::size_t i = 0;
    std::optional<RawWord> from;
    re2::StringPiece name, value;
    for (; i < raw.size() && RE2::FullMatch(piece(raw[i].text), flag, &name, &value); ++i) {
      if (view(name) == "from") {
        from = RawWord{std::string(view(value)), raw[i].offset + 7};
      }
    }
    Stage& stage = m_stages.back();
    if (from) {
      auto word = docker_word(instruction, *from, stage.variables);
      if (!word) return std::unexpected(word.error());
      const std::string source = lower(word->text);
      const bool is_stage =
          std::ranges::any_of(m_stages, [&](const Stage& s) { return s.name == source; }) ||
          (!source.empty() &&
           std::ranges::all_of(source, [](char c) { return c >= '0' && c <= '9'; }));
      const Origin at = origin(instruction, from->offset);
      if (word->problem != Problem::none) {
        m_findings.unread.push_back(
            {at, fmt::format("{} --from={}: {}", instruction.keyword, word->raw, word->why)});
      } else if (!is_stage) {
        read_image(word->text, at, fmt::format("{} --from", instruction.keyword));
      }
      return {};  // files from another image or stage are not in the build context
    }
    std::vector<std::string> paths;
    const std::string_view rest =
        i < raw.size() ? std::string_view(instruction.arguments).substr(raw[i].offset) : "";
    if (rest.starts_with('[')) {
      try {
        for (const auto& item : nlohmann::json::parse(rest))
          paths.push_back(item.get<std::string>());
      } catch (const nlohmann::json::exception&) {
        return {};
      }
    } else {
      for (; i < raw.size(); ++i) {
        auto word = docker_word(instruction, raw[i], stage.variables);
        if (!word) return std::unexpected(word.error());
        if (word->problem != Problem::none) return {};
        paths.push_back(word->text);
      }
    }
    if (paths.size() < 2) return {};
    Copy copy;
    copy.destination = joined_path(stage.workdir, paths.back());
    const std::string& target = paths.back();
    copy.into_folder = target.ends_with('/') || target == "." || target.ends_with("/.") ||
                       target == ".." || paths.size() > 2;
    for (std::size_t k = 0; k + 1 < paths.size(); ++k) {
      const std::string& source = paths[k];
      if (source.find("://") != std::string::npos) continue;
      std::error_code ec;
      if (source.find_first_of("*?[") != std::string::npos ||
          fs::is_directory(m_context / source, ec)) {
        copy.into_folder = true;
      }
      copy.sources.push_back(source);
    }
    stage.copies.push_back(std::move(copy));
    return {};
  }

  // The build-context file the image has at `image_path`: through the
  // stage's COPY and ADD lines, else the same path (or name) beside the
  // Dockerfile.
  std::optional<fs::path> find_file(std::string_view image_path) const {
    const Stage& stage = m_stages.back();
    const std::string wanted = joined_path(stage.workdir, image_path);
    auto exists = [this](const fs::path& p) {
      std::error_code ec;
      return fs::is_regular_file(p, ec) && in_context(p);
    };
    for (auto copy = stage.copies.rbegin(); copy != stage.copies.rend(); ++copy) {
      for (const std::string& source : copy->sources) {
        const fs::path on_disk = m_context / source;
        std::error_code ec;
        std::optional<fs::path> candidate;
        if (!copy->into_folder) {
          if (wanted == copy->destination) candidate = on_disk;
        } else if (fs::is_directory(on_disk, ec)) {
          const fs::path relative = fs::path(wanted).lexically_relative(copy->destination);
          if (!relative.empty() && !relative.string().starts_with("..")) {
            candidate = on_disk / relative;
          }
        } else if (fs::path(wanted).parent_path() == fs::path(copy->destination) &&
                   glob_matches(fs::path(source).filename().string(),
                                fs::path(wanted).filename().string())) {
          candidate = on_disk.parent_path() / fs::path(wanted).filename();
        }
        if (candidate && exists(*candidate)) return candidate->lexically_normal();
      }
    }
    if (!image_path.starts_with('/') && exists(m_context / image_path)) {
      return (m_context / image_path).lexically_normal();
    }
    const fs::path name = fs::path(image_path).filename();
    if (!name.empty() && exists(m_context / name)) return (m_context / name).lexically_normal();
    return std::nullopt;
  }

  bool in_context(const fs::path& file) const {
    std::error_code ec;
    const fs::path real = fs::weakly_canonical(file, ec);
    if (ec) return false;
    const fs::path context = fs::weakly_canonical(m_context, ec);
    if (ec) return false;
    const fs::path relative = real.lexically_relative(context);
    return !relative.empty() && *relative.begin() != "..";
  }

  std::string display(const fs::path& file) const {
    const fs::path relative = file.lexically_relative(m_context);
    if (relative.empty()) return file.string();
    return (fs::path(m_path).parent_path() / relative).lexically_normal().string();
  }

  void run(const Instruction& instruction) {
    static const RE2 exec_form(R"(^\[.*\]$)");
    static const RE2 heredoc_script(R"(^(?:(?:\S*/)?(?:sh|bash|dash|zsh|ash|ksh)[ \t]+)?<<)");
    const std::vector<RawWord> words = split_words(instruction.arguments, m_escape);
    std::size_t i = 0;
    while (i < words.size() && words[i].text.starts_with("--")) ++i;  // --mount=..., --network=...
    if (i >= words.size()) return;
    const std::size_t start = words[i].offset;
    const std::string_view script = std::string_view(instruction.arguments).substr(start);
    Variables variables = m_stages.back().variables;
    auto locate = [this, &instruction, start](std::size_t offset) {
      return origin(instruction, start + offset);
    };
    if (RE2::FullMatch(piece(script), exec_form)) {
      if (auto words_of = exec_words(script)) {
        run_command(*words_of, Joiner::start, {}, locate, variables, 0);
        return;
      }
    }
    if (!instruction.heredocs.empty() && RE2::PartialMatch(piece(script), heredoc_script)) {
      for (const Heredoc& heredoc : instruction.heredocs) {
        auto in_body = [this, &heredoc](std::size_t offset) {
          const Position at = position_in(heredoc.spans, offset);
          return Origin{m_path, at.line, at.column};
        };
        run_script(heredoc.body, in_body, variables, 0);
      }
      return;
    }
    run_script(script, locate, variables, 0);
  }

  // The words of an exec-form RUN (a JSON array of strings); nothing when
  // it is not one (the builder then runs the text as a shell command).
  static std::optional<std::vector<Word>> exec_words(std::string_view script) {
    nlohmann::json array;
    try {
      array = nlohmann::json::parse(script);
    } catch (const nlohmann::json::exception&) {
      return std::nullopt;
    }
    if (!array.is_array() || array.empty()) return std::nullopt;
    std::vector<Word> words;
    std::size_t cursor = 0;
    for (const auto& item : array) {
      if (!item.is_string()) return std::nullopt;
      Word word;
      word.text = item.get<std::string>();
      word.raw = item.dump();
      const std::size_t at = script.find(word.raw, cursor);
      word.offset = at == std::string_view::npos ? cursor : at + 1;
      if (at != std::string_view::npos) cursor = at + word.raw.size();
      words.push_back(std::move(word));
    }
    return words;
  }

  using Locate = std::function<Origin(std::size_t)>;

  void run_script(std::string_view script, const Locate& locate, Variables& variables, int depth) {
    Previous previous;
    for (const RawCommand& raw : split_commands(script)) {
      std::vector<Word> words;
      words.reserve(raw.words.size());
      for (const RawWord& w : raw.words) words.push_back(expand(w, variables, '\\'));
      previous = run_command(words, raw.joiner, previous, locate, variables, depth);
    }
  }

  // Reads one simple command; returns its program and text for the next
  // command of a pipeline.
  Previous run_command(const std::vector<Word>& words, Joiner joiner, const Previous& previous,
                       const Locate& locate, Variables& variables, int depth) {
    static const RE2 assignment(R"(^([A-Za-z_][A-Za-z0-9_]*)=)");
    static const RE2 python(R"(^python[0-9.]*$)");
    static const RE2 pip(R"(^pip[0-9.]*$)");
    static const RE2 shell(R"(^(?:sh|bash|dash|zsh|ash|ksh)$)");
    static const RE2 interpreter(R"(^(?:sh|bash|dash|zsh|ash|ksh|python[0-9.]*|perl|ruby|node)$)");
    static const RE2 downloader(R"(^(?:curl|wget|fetch)$)");
    static const RE2 downloaded(R"((?:\$\(|<\(|`)[ \t]*(?:\S*/)?(?:curl|wget)\b)");
    static const std::set<std::string_view> skipped = {
        "command", "exec", "nohup", "time",  "eatmydata", "then", "do", "else",
        "elif",    "if",   "while", "until", "!",         "{",    "}",  "builtin"};
    static const std::set<std::string_view> ends = {"for",  "case", "function", "select",
                                                    "done", "fi",   "esac"};
    bool from_input = false;
    std::size_t i = 0;
    while (i < words.size()) {
      const Word& w = words[i];
      re2::StringPiece name;
      if (RE2::PartialMatch(piece(w.raw), assignment, &name)) {
        const bool all =
            std::all_of(words.begin() + static_cast<std::ptrdiff_t>(i), words.end(),
                        [](const Word& x) { return RE2::PartialMatch(piece(x.raw), assignment); });
        if (all) {
          for (std::size_t k = i; k < words.size(); ++k) set_shell_variable(words[k], variables);
          return {};
        }
        ++i;
        continue;
      }
      const std::string& t = w.text;
      if (t == "export" || t == "readonly" || t == "declare" || t == "local") {
        for (std::size_t k = i + 1; k < words.size(); ++k) {
          if (RE2::PartialMatch(piece(words[k].raw), assignment)) {
            set_shell_variable(words[k], variables);
          }
        }
        return {};
      }
      if (t == "sudo") {
        static const std::set<std::string_view> with_value = {"-u", "-g", "-h", "-p", "-C",
                                                              "-D", "-U", "-r", "-t", "-T"};
        for (++i; i < words.size() && words[i].text.starts_with('-');) {
          i += with_value.contains(words[i].text) ? 2 : 1;
        }
        continue;
      }
      if (t == "env") {
        for (++i; i < words.size() && (words[i].text.starts_with('-') ||
                                       RE2::PartialMatch(piece(words[i].raw), assignment));) {
          i += words[i].text == "-u" ? 2 : 1;
        }
        continue;
      }
      if (t == "nice" || t == "timeout" || t == "xargs") {
        static const std::set<std::string_view> with_value = {"-n", "-s", "-k", "-I", "-d",
                                                              "-a", "-P", "-L", "-E"};
        from_input = from_input || t == "xargs";
        for (++i; i < words.size() && words[i].text.starts_with('-');) {
          i += with_value.contains(words[i].text) ? 2 : 1;
        }
        if (t == "timeout" && i < words.size()) ++i;  // the duration
        continue;
      }
      if (skipped.contains(t)) {
        ++i;
        continue;
      }
      if (ends.contains(t)) return {};
      break;
    }
    if (i >= words.size()) return {};
    const Word& program_word = words[i];
    std::string program = program_word.text.substr(program_word.text.rfind('/') + 1);
    std::string text;
    for (std::size_t k = i; k < words.size(); ++k) text += (k > i ? " " : "") + words[k].raw;
    text = clipped(text);
    const std::span<const Word> args = std::span(words).subspan(i + 1);

    CommandSite site;
    site.ecosystems = m_ecosystems;
    site.findings = &m_findings;
    site.locate = locate;
    site.find_file = [this](std::string_view p) { return find_file(p); };
    site.display = [this](const fs::path& p) { return display(p); };
    site.in_context = [this](const fs::path& p) { return in_context(p); };
    site.variables = &variables;
    site.command_text = text;
    const Origin at = locate(program_word.offset);

    const bool is_apt = program == "apt-get" || program == "apt" || program == "aptitude";
    std::span<const Word> pip_args;
    bool is_pip = false;
    if (RE2::FullMatch(program, pip)) {
      is_pip = true;
      pip_args = args;
    } else if (RE2::FullMatch(program, python)) {
      for (std::size_t k = 0; k < args.size() && args[k].text.starts_with('-'); ++k) {
        if (args[k].text == "-m" && k + 1 < args.size() && args[k + 1].text == "pip") {
          is_pip = true;
          pip_args = args.subspan(k + 2);
          break;
        }
        if (args[k].text == "-mpip") {
          is_pip = true;
          pip_args = args.subspan(k + 1);
          break;
        }
      }
    } else if (program == "uv" && !args.empty() && args[0].text == "pip") {
      is_pip = true;
      pip_args = args.subspan(1);
    }
    const bool is_npm = program == "npm";
    if (program_word.problem != Problem::none && !is_apt && !is_pip && !is_npm) {
      // An unknown program: only worth a note when it may install something.
      if (program.empty()) {
        m_findings.unread.push_back({at, fmt::format("{}: {}", text, program_word.why)});
      }
      return {program, text};
    }
    if (from_input && (is_apt || is_pip || is_npm)) {
      m_findings.unread.push_back(
          {at, fmt::format("{}: the packages come from the command's input (xargs)", text)});
      return {program, text};
    }
    if (is_apt) {
      read_apt(args, site);
    } else if (is_pip) {
      read_pip(pip_args, site);
    } else if (is_npm) {
      read_npm(args, site);
    } else if (RE2::FullMatch(program, interpreter) && joiner == Joiner::pipe &&
               RE2::FullMatch(previous.program, downloader)) {
      m_findings.unread.push_back(
          {at, fmt::format("{} | {}: a downloaded script runs; what it installs is unknown",
                           previous.text, text)});
    } else if (RE2::FullMatch(program, interpreter) && std::ranges::any_of(args, [](const Word& a) {
                 return RE2::PartialMatch(piece(a.raw), downloaded);
               })) {
      m_findings.unread.push_back(
          {at, fmt::format("{}: a downloaded script runs; what it installs is unknown", text)});
    } else if (RE2::FullMatch(program, shell)) {
      run_shell_c(args, at, text, variables, depth);
    } else if (program == "dpkg" && std::ranges::any_of(args, [](const Word& a) {
                 return a.text == "-i" || a.text == "--install";
               })) {
      m_findings.unread.push_back({at, fmt::format("{}: a local .deb package is not read", text)});
    } else if (auto manager = other_managers().find(program); manager != other_managers().end()) {
      const std::string verb = args.empty() ? "" : args[0].text;
      const auto& verbs = manager->second;
      if (verbs.empty() || std::ranges::find(verbs, verb) != verbs.end() ||
          (program == "pacman" && verb.starts_with("-S"))) {
        m_findings.unread.push_back(
            {at, fmt::format("{}: {} is not one of the package managers driftlock reads (apt, "
                             "pip, npm)",
                             text, program)});
      }
    }
    return {program, text};
  }

  // `sh -c 'script'` (also `bash -ec "..."`): the script is read like RUN's.
  void run_shell_c(std::span<const Word> args, const Origin& at, const std::string& text,
                   Variables& variables, int depth) {
    for (std::size_t k = 0; k < args.size(); ++k) {
      const std::string& a = args[k].text;
      if (!a.starts_with('-')) return;  // a script file
      if (a.starts_with("--") || a.find('c') == std::string::npos) continue;
      if (k + 1 >= args.size()) return;
      const Word& script = args[k + 1];
      if (script.problem != Problem::none) {
        m_findings.unread.push_back({at, fmt::format("{}: {}", text, script.why)});
        return;
      }
      if (depth >= 4) return;
      auto fixed = [at](std::size_t) { return at; };
      Variables inner = variables;
      run_script(script.text, fixed, inner, depth + 1);
      return;
    }
  }

  static void set_shell_variable(const Word& word, Variables& variables) {
    const std::size_t eq = word.text.find('=');
    const std::size_t raw_eq = word.raw.find('=');
    const std::string name = word.raw.substr(0, raw_eq);
    Value value;
    if (word.problem == Problem::none && eq != std::string::npos) {
      value.text = word.text.substr(eq + 1);
    } else {
      value.unknown_because = word.why;
    }
    variables.set_env(name, std::move(value));
  }

  std::string_view m_text;
  std::string m_path;
  fs::path m_context;
  EcosystemTable m_ecosystems;
  char m_escape = '\\';
  Findings m_findings;
  Variables m_globals;
  std::vector<Stage> m_stages;
};

}  // namespace

Result<Findings> read_dockerfile(std::string_view text, const std::string& path,
                                 const std::filesystem::path& context, EcosystemTable ecosystems) {
  return Reader(text, path, context, ecosystems).read();
}

}  // namespace driftlock::init
