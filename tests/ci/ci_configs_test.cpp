// The ready CI configs in ci/: every YAML file parses, has the structure its
// CI needs, and every `driftlock …` command line in it names a command and
// flags the CLI accepts. The CLI itself is asked (`driftlock COMMAND --help`),
// so a renamed or removed flag fails here before it fails someone's nightly.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/main.hpp"

using namespace driftlock;

namespace {

const std::filesystem::path kCiDir = DRIFTLOCK_CI_DIR;

// ---------------------------------------------------------------------------
// A shell lexer, enough for the scripts CI configs hold: words with their
// quotes removed, backslash-newline continuations joined, `$(…)`, `${…}` and
// GitHub's `${{ … }}` kept whole inside a word, comments dropped, and the
// operators that end a simple command (newline ; & && | || ( )) and
// redirections told apart. The text of each `$(…)` is kept to be scanned too.

struct Token {
  enum class Kind { word, separator, redirect };
  Kind kind;
  std::string text;
};

struct Lexed {
  std::vector<Token> tokens;
  std::vector<std::string> substitutions;  // the inside of every $(…)
  std::string error;                       // an unterminated quote or expansion
};

// Copies the expansion starting at s[i] == '$' into `word` and returns the
// index after it; records a command substitution's text.
size_t take_expansion(std::string_view s, size_t i, std::string& word, Lexed& lexed) {
  if (i + 1 >= s.size()) {
    word += '$';
    return i + 1;
  }
  const char next = s[i + 1];
  if (next == '{' && i + 2 < s.size() && s[i + 2] == '{') {  // GitHub: ${{ expression }}
    const size_t end = s.find("}}", i + 3);
    if (end == std::string_view::npos) {
      lexed.error = "unterminated ${{";
      return s.size();
    }
    word += s.substr(i, end + 2 - i);
    return end + 2;
  }
  if (next == '{' || next == '(') {
    const char open = next, close = next == '{' ? '}' : ')';
    int depth = 0;
    for (size_t j = i + 1; j < s.size(); ++j) {
      if (s[j] == open) ++depth;
      if (s[j] == close && --depth == 0) {
        word += s.substr(i, j + 1 - i);
        if (open == '(') lexed.substitutions.emplace_back(s.substr(i + 2, j - i - 2));
        return j + 1;
      }
    }
    lexed.error = std::string("unterminated $") + open;
    return s.size();
  }
  word += '$';
  return i + 1;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Lexed lex(std::string_view s) {
  Lexed lexed;
  std::string word;
  bool in_word = false;
  auto flush = [&] {
    if (in_word) lexed.tokens.push_back({Token::Kind::word, word});
    word.clear();
    in_word = false;
  };
  auto separator = [&](std::string text) {
    flush();
    lexed.tokens.push_back({Token::Kind::separator, std::move(text)});
  };
  size_t i = 0;
  while (i < s.size() && lexed.error.empty()) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      if (s[i + 1] != '\n') {
        word += s[i + 1];
        in_word = true;
      }
      i += 2;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      flush();
      ++i;
    } else if (c == '\n' || c == ';' || c == '(' || c == ')') {
      separator(std::string(1, c));
      ++i;
    } else if ((c == '&' || c == '|') && !(c == '&' && i + 1 < s.size() && s[i + 1] == '>')) {
      const size_t n = i + 1 < s.size() && s[i + 1] == c ? 2 : 1;
      separator(std::string(s.substr(i, n)));
      i += n;
    } else if (c == '>' || c == '<' || c == '&') {
      // A redirection; a file descriptor number glued before it is part of it.
      if (in_word && all_digits(word)) {
        word.clear();
        in_word = false;
      }
      flush();
      size_t j = i + 1;
      while (j < s.size() && (s[j] == '>' || s[j] == '&' || s[j] == '<')) ++j;
      std::string op(s.substr(i, j - i));
      // `2>&1`, `>&2`: the target is glued to the operator.
      if (op.back() == '&' && j < s.size() && (all_digits(s.substr(j, 1)) || s[j] == '-')) {
        op += s[j++];
        lexed.tokens.push_back({Token::Kind::redirect, op + "!"});  // needs no target word
      } else {
        lexed.tokens.push_back({Token::Kind::redirect, op});
      }
      i = j;
    } else if (c == '#' && !in_word) {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (c == '\'') {
      const size_t end = s.find('\'', i + 1);
      if (end == std::string_view::npos) {
        lexed.error = "unterminated single quote";
        break;
      }
      word += s.substr(i + 1, end - i - 1);
      in_word = true;
      i = end + 1;
    } else if (c == '"') {
      in_word = true;
      ++i;
      while (i < s.size() && s[i] != '"' && lexed.error.empty()) {
        if (s[i] == '\\' && i + 1 < s.size() &&
            std::string_view("\"\\$`\n").find(s[i + 1]) != std::string_view::npos) {
          if (s[i + 1] != '\n') word += s[i + 1];
          i += 2;
        } else if (s[i] == '$') {
          i = take_expansion(s, i, word, lexed);
        } else {
          word += s[i++];
        }
      }
      if (i >= s.size() && lexed.error.empty()) lexed.error = "unterminated double quote";
      ++i;
    } else if (c == '$') {
      in_word = true;
      i = take_expansion(s, i, word, lexed);
    } else {
      word += c;
      in_word = true;
      ++i;
    }
  }
  flush();
  return lexed;
}

// ---------------------------------------------------------------------------
// `driftlock` invocations: a word at a command's position that is driftlock
// (`driftlock`, `$DRIFTLOCK`, `${DRIFTLOCK}` once unquoted, or a path ending in
// /driftlock), and the words of that simple command after it.

struct Invocation {
  std::vector<std::string> words;  // after the driftlock word, redirections left out
};

bool is_driftlock(std::string_view word) {
  return word == "driftlock" || word == "$DRIFTLOCK" || word == "${DRIFTLOCK}" ||
         (word.size() > 10 && word.ends_with("/driftlock"));
}

// Words after which the next word is still in a command's position.
bool keeps_command_position(std::string_view word) {
  static const std::set<std::string_view> keywords = {
      "if", "then", "else", "elif", "do", "while", "until", "!", "{", "time", "exec", "sudo"};
  if (keywords.contains(word)) return true;
  // An assignment before the command: NAME=value.
  const size_t eq = word.find('=');
  if (eq == 0 || eq == std::string_view::npos) return false;
  return std::all_of(word.begin(), word.begin() + static_cast<std::ptrdiff_t>(eq), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Appends the invocations in `script`; returns a lexing error, or "".
std::string find_invocations(std::string_view script, std::vector<Invocation>& found) {
  const Lexed lexed = lex(script);
  if (!lexed.error.empty()) return lexed.error;
  for (const std::string& inner : lexed.substitutions) {
    if (std::string error = find_invocations(inner, found); !error.empty()) return error;
  }
  const std::vector<Token>& tokens = lexed.tokens;
  bool command_position = true;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    if (token.kind == Token::Kind::separator) {
      command_position = true;
      continue;
    }
    if (token.kind == Token::Kind::redirect) {
      if (!token.text.ends_with('!')) ++i;  // its target
      continue;
    }
    if (!command_position) continue;
    if (keeps_command_position(token.text)) continue;
    command_position = false;
    if (!is_driftlock(token.text)) continue;
    Invocation invocation;
    size_t j = i + 1;
    for (; j < tokens.size() && tokens[j].kind != Token::Kind::separator; ++j) {
      if (tokens[j].kind == Token::Kind::redirect) {
        if (!tokens[j].text.ends_with('!')) ++j;
        continue;
      }
      invocation.words.push_back(tokens[j].text);
    }
    i = j - 1;
    // A bare `driftlock` (a workflow's name, prose) runs nothing.
    if (!invocation.words.empty()) found.push_back(std::move(invocation));
  }
  return "";
}

// ---------------------------------------------------------------------------
// Asking the CLI.

struct CliAnswer {
  int code;
  std::string out, err;
};

CliAnswer ask_cli(const std::vector<std::string>& args) {
  static std::map<std::vector<std::string>, CliAnswer> answers;
  if (auto it = answers.find(args); it != answers.end()) return it->second;
  std::ostringstream out, err;
  FixedClock clock(*parse_timestamp("2026-11-25T03:00:00Z"));
  const int code = cli::run(args, out, err, clock);
  return answers[args] = CliAnswer{code, out.str(), err.str()};
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// `word` appears in `text` as a whole word.
bool mentions(std::string_view text, std::string_view word) {
  for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const bool starts = at == 0 || !is_word_char(text[at - 1]);
    const size_t after = at + word.size();
    const bool ends = after == text.size() || !is_word_char(text[after]);
    if (starts && ends) return true;
  }
  return false;
}

// The option names a command's help lists: the first field of each line that
// starts (after its indent) with '-', split at commas ("-m,--manifest TEXT").
std::set<std::string> option_names(const std::string& help) {
  std::set<std::string> names;
  std::istringstream in(help);
  for (std::string line; std::getline(in, line);) {
    const size_t start = line.find_first_not_of(' ');
    if (start == std::string::npos || line[start] != '-') continue;
    const std::string field = line.substr(start, line.find_first_of(" \t", start) - start);
    std::istringstream parts(field);
    for (std::string name; std::getline(parts, name, ',');) {
      if (name.size() >= 2 && name[0] == '-') names.insert(name);
    }
  }
  return names;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out = "driftlock";
  for (const std::string& w : words) out += " " + w;
  return out;
}

// What is wrong with one invocation: an unknown command, or a flag (or a
// --format value) the command's help does not name. Empty when all is well.
std::vector<std::string> problems_of(const Invocation& invocation) {
  std::vector<std::string> problems;
  const std::vector<std::string>& words = invocation.words;
  const std::string shown = joined(words);
  if (words[0].starts_with("-")) {  // driftlock --version, --help
    if (ask_cli({words[0]}).code != 0) {
      problems.push_back(shown + ": driftlock does not take '" + words[0] + "' alone");
    }
    return problems;
  }
  const std::string& command = words[0];
  const CliAnswer help = ask_cli({command, "--help"});
  if (help.code != 0 || help.out.empty()) {
    problems.push_back(shown + ": unknown command '" + command + "' (" + help.err + ")");
    return problems;
  }
  const std::set<std::string> options = option_names(help.out);
  if (!options.contains("--help")) {
    problems.push_back(shown + ": cannot read the options of '" + command + " --help':\n" +
                       help.out);
    return problems;
  }
  for (size_t k = 1; k < words.size(); ++k) {
    const std::string& word = words[k];
    if (word.size() < 2 || word[0] != '-' || (word[1] >= '0' && word[1] <= '9')) continue;
    std::vector<std::string> flags;
    std::string value;
    bool has_value = false;
    if (word.starts_with("--")) {
      const size_t eq = word.find('=');
      flags.push_back(word.substr(0, eq));
      if (eq != std::string::npos) {
        value = word.substr(eq + 1);
        has_value = true;
      } else if (k + 1 < words.size()) {
        value = words[k + 1];
        has_value = true;
      }
    } else {
      for (size_t c = 1; c < word.size(); ++c) flags.push_back(std::string("-") + word[c]);
    }
    for (const std::string& flag : flags) {
      if (!options.contains(flag)) {
        problems.push_back(shown + ": '" + command + "' has no option " + flag);
      }
    }
    // A literal --format value must be one the command names.
    if (flags[0] == "--format" && has_value && !value.starts_with("$") &&
        !mentions(help.out, value)) {
      problems.push_back(shown + ": '" + command + "' has no format '" + value + "'");
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// The files.

std::vector<std::filesystem::path> yaml_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kCiDir)) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yml" || ext == ".yaml")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void walk_scalars(const YAML::Node& node, const std::function<void(const std::string&)>& visit) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      visit(node.Scalar());
      break;
    case YAML::NodeType::Sequence:
      for (const YAML::Node& item : node) walk_scalars(item, visit);
      break;
    case YAML::NodeType::Map:
      for (const auto& pair : node) {
        walk_scalars(pair.first, visit);
        walk_scalars(pair.second, visit);
      }
      break;
    default:
      break;
  }
}

struct Scanned {
  std::vector<Invocation> invocations;
  std::vector<std::string> problems;  // lexing errors and CLI mismatches
};

Scanned scan(const YAML::Node& root, const std::string& label) {
  Scanned scanned;
  walk_scalars(root, [&](const std::string& text) {
    std::vector<Invocation> found;
    if (std::string error = find_invocations(text, found); !error.empty()) {
      scanned.problems.push_back(label + ": " + error + " in: " + text);
      return;
    }
    for (Invocation& invocation : found) {
      for (const std::string& p : problems_of(invocation))
        scanned.problems.push_back(label + ": " + p);
      scanned.invocations.push_back(std::move(invocation));
    }
  });
  return scanned;
}

std::string lines(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += item + "\n";
  return out;
}

bool has_word(const Invocation& invocation, std::string_view word) {
  return std::find(invocation.words.begin(), invocation.words.end(), word) !=
         invocation.words.end();
}

YAML::Node load(const std::filesystem::path& path) {
  return YAML::LoadFile(path.string());
}

bool is_write(const YAML::Node& node) {
  return node.IsScalar() && node.Scalar() == "write";
}

}  // namespace

TEST_CASE("the shell lexer finds driftlock command lines the way a shell runs them", "[ci]") {
  auto words_of = [](std::string_view script) {
    std::vector<Invocation> found;
    REQUIRE(find_invocations(script, found).empty());
    std::vector<std::string> out;
    for (const Invocation& i : found) out.push_back(joined(i.words));
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(words_of("driftlock run --format json > report.json") == V{"driftlock run --format json"});
  CHECK(words_of("\"$DRIFTLOCK\" run -m \"$M\" \\\n  --comment \"github:${{ github.repository }}#"
                 "${{ github.event.pull_request.number }}\" 2>&1 | tee log") ==
        V{"driftlock run -m $M --comment github:${{ github.repository }}#${{ "
          "github.event.pull_request.number }}"});
  CHECK(words_of("status=0\nX=1 ${DRIFTLOCK} check --state-dir .driftlock || status=$?") ==
        V{"driftlock check --state-dir .driftlock"});
  CHECK(words_of("if [ -n \"$PR\" ]; then\n  /opt/bin/driftlock check -q; fi") ==
        V{"driftlock check -q"});
  CHECK(words_of("out=$(driftlock report --format markdown)") ==
        V{"driftlock report --format markdown"});
  CHECK(words_of("'driftlock' history # driftlock runn --bogus") == V{"driftlock history"});
  CHECK(words_of("\"$DRIFTLOCK\" --version") == V{"driftlock --version"});
  // Not commands: an argument, prose, a cache key, a file name.
  CHECK(words_of("cmake --build b --target driftlock").empty());
  CHECK(words_of("Install driftlock (from source)").empty());
  CHECK(words_of("driftlock-state-v1-{{ .Branch }}").empty());
  CHECK(words_of("echo 'export DRIFTLOCK=/opt/driftlock-bin/driftlock' >> \"$BASH_ENV\"").empty());
  CHECK(words_of("driftlock").empty());

  std::vector<Invocation> found;
  CHECK(find_invocations("driftlock run \"--comment", found) == "unterminated double quote");
}

TEST_CASE("the checker rejects unknown commands, flags and formats, and takes real ones", "[ci]") {
  auto problems = [](std::string_view script) {
    std::vector<Invocation> found;
    REQUIRE(find_invocations(script, found).empty());
    REQUIRE(found.size() == 1);
    return problems_of(found[0]);
  };
  CHECK(
      problems("driftlock run -m driftlock.toml --state-dir .driftlock --format json -q").empty());
  CHECK(problems("driftlock check --manifest=x.toml --format=markdown -v").empty());
  CHECK(problems("driftlock --version").empty());
  CHECK(problems("driftlock runn").size() == 1);
  CHECK(
      problems("driftlock run --no-such-flag") ==
      std::vector<std::string>{"driftlock run --no-such-flag: 'run' has no option --no-such-flag"});
  CHECK(problems("driftlock check --no-push").size() == 1);  // run's flag, not check's
  CHECK(problems("driftlock run --format yaml").size() == 1);
  CHECK(problems("driftlock run --format \"$FORMAT\"").empty());
  CHECK(problems("driftlock run -Z").size() == 1);
}

TEST_CASE("every YAML file under ci/ parses and calls only commands and flags driftlock has",
          "[ci]") {
  const std::vector<std::filesystem::path> files = yaml_files();
  REQUIRE(files.size() >= 3);
  for (const std::filesystem::path& file : files) {
    const std::string label = std::filesystem::relative(file, kCiDir).string();
    INFO(label);
    YAML::Node root;
    try {
      root = load(file);
    } catch (const YAML::Exception& e) {
      FAIL(label << ": not valid YAML: " << e.what());
    }
    REQUIRE(root.IsMap());
    const Scanned scanned = scan(root, label);
    INFO(lines(scanned.problems));
    CHECK(scanned.problems.empty());

    // Each config runs the nightly (JSON report to a file, the Markdown
    // comment) and the builder check, both on the state folder the CI caches.
    // A bare `driftlock run` is a step's name.
    bool nightly = false, check = false;
    for (const Invocation& invocation : scanned.invocations) {
      const std::string& command = invocation.words[0];
      if ((command != "run" && command != "check") || invocation.words.size() == 1) continue;
      INFO(joined(invocation.words));
      CHECK(has_word(invocation, "--state-dir"));
      CHECK(has_word(invocation, ".driftlock"));
      const bool json = has_word(invocation, "--format") && has_word(invocation, "json");
      if (command == "run" && json && has_word(invocation, "--comment")) nightly = true;
      if (command == "check" && json) check = true;
    }
    CHECK(nightly);
    CHECK(check);
  }
}

TEST_CASE("the GitHub Actions workflow runs nightly, on demand and on builder pull requests",
          "[ci]") {
  const YAML::Node root = load(kCiDir / "github" / "driftlock.yml");
  const YAML::Node on = root["on"];
  REQUIRE(on.IsMap());
  REQUIRE(on["schedule"].IsSequence());
  for (const YAML::Node& entry : on["schedule"]) {
    std::istringstream fields(entry["cron"].as<std::string>());
    CHECK(std::distance(std::istream_iterator<std::string>(fields),
                        std::istream_iterator<std::string>()) == 5);
  }
  CHECK(on["workflow_dispatch"].IsDefined());
  REQUIRE(on["pull_request"]["paths"].IsSequence());
  CHECK(on["pull_request"]["paths"].size() > 0);

  const YAML::Node permissions = root["permissions"];
  CHECK(is_write(permissions["contents"]));
  CHECK(is_write(permissions["issues"]));
  CHECK(is_write(permissions["pull-requests"]));

  const YAML::Node jobs = root["jobs"];
  REQUIRE(jobs.IsMap());
  REQUIRE(jobs.size() > 0);
  for (const auto& job : jobs) {
    INFO(job.first.as<std::string>());
    CHECK(job.second["runs-on"].IsDefined());
    REQUIRE(job.second["steps"].IsSequence());
    for (const YAML::Node& step : job.second["steps"]) {
      CHECK(step.IsMap());
      CHECK(step["run"].IsDefined() != step["uses"].IsDefined());  // exactly one
    }
  }
}

TEST_CASE("the CircleCI config's workflows and steps name only what it defines", "[ci]") {
  const YAML::Node root = load(kCiDir / "circleci" / "config.yml");
  CHECK(root["version"].as<std::string>() == "2.1");
  const YAML::Node jobs = root["jobs"], commands = root["commands"], executors = root["executors"];
  const YAML::Node parameters = root["parameters"];
  REQUIRE(jobs.IsMap());
  static const std::set<std::string> builtin_steps = {"checkout",
                                                      "run",
                                                      "save_cache",
                                                      "restore_cache",
                                                      "store_artifacts",
                                                      "store_test_results",
                                                      "persist_to_workspace",
                                                      "attach_workspace",
                                                      "add_ssh_keys",
                                                      "setup_remote_docker",
                                                      "when",
                                                      "unless"};
  auto check_steps = [&](const YAML::Node& steps) {
    REQUIRE(steps.IsSequence());
    for (const YAML::Node& step : steps) {
      const std::string name =
          step.IsScalar() ? step.Scalar() : step.begin()->first.as<std::string>();
      INFO(name);
      CHECK((step.IsScalar() || step.size() == 1));
      CHECK((builtin_steps.contains(name) || (commands.IsMap() && commands[name].IsDefined())));
    }
  };
  for (const auto& job : jobs) {
    INFO("job " << job.first.as<std::string>());
    const YAML::Node& body = job.second;
    const bool has_executor = body["docker"].IsDefined() || body["machine"].IsDefined() ||
                              body["macos"].IsDefined() || body["executor"].IsDefined();
    CHECK(has_executor);
    if (body["executor"].IsDefined())
      CHECK(executors[body["executor"].as<std::string>()].IsDefined());
    check_steps(body["steps"]);
  }
  if (commands.IsMap()) {
    for (const auto& command : commands) check_steps(command.second["steps"]);
  }

  const YAML::Node workflows = root["workflows"];
  REQUIRE(workflows.IsMap());
  std::set<std::string> scheduled;
  for (const auto& workflow : workflows) {
    INFO("workflow " << workflow.first.as<std::string>());
    REQUIRE(workflow.second["jobs"].IsSequence());
    for (const YAML::Node& entry : workflow.second["jobs"]) {
      const std::string name =
          entry.IsScalar() ? entry.Scalar() : entry.begin()->first.as<std::string>();
      CHECK(jobs[name].IsDefined());
    }
  }
  // The nightly workflow is chosen by the schedule trigger's name or the
  // pipeline parameter, and every parameter used is declared.
  std::string text;
  walk_scalars(root, [&](const std::string& s) { text += s + "\n"; });
  CHECK(text.find("<< pipeline.schedule.name >>") != std::string::npos);
  CHECK(text.find("<< pipeline.trigger_source >>") != std::string::npos);
  for (size_t at = text.find("pipeline.parameters."); at != std::string::npos;
       at = text.find("pipeline.parameters.", at + 1)) {
    const size_t start = at + std::string_view("pipeline.parameters.").size();
    const size_t end = text.find_first_of(" >", start);
    const std::string parameter = text.substr(start, end - start);
    INFO(parameter);
    CHECK(parameters[parameter].IsDefined());
  }
}

TEST_CASE("the GitLab CI jobs each have a script and run on a schedule or a merge request",
          "[ci]") {
  const YAML::Node root = load(kCiDir / "gitlab" / "driftlock.gitlab-ci.yml");
  static const std::set<std::string> keywords = {
      "default", "include",  "stages", "variables",     "workflow",
      "image",   "services", "cache",  "before_script", "after_script"};
  std::set<std::string> stages;
  for (const YAML::Node& stage : root["stages"]) stages.insert(stage.as<std::string>());
  bool on_schedule = false, on_merge_request = false;
  int job_count = 0;
  for (const auto& entry : root) {
    const std::string name = entry.first.as<std::string>();
    if (keywords.contains(name) || name.starts_with(".")) continue;
    INFO("job " << name);
    ++job_count;
    const YAML::Node job = entry.second;
    REQUIRE(job.IsMap());
    // A key of the job itself, else of the template it extends.
    auto key = [&](const std::string& k) -> YAML::Node {
      if (job[k].IsDefined()) return job[k];
      if (job["extends"].IsDefined()) return root[job["extends"].as<std::string>()][k];
      return job[k];  // undefined
    };
    if (job["extends"].IsDefined()) CHECK(root[job["extends"].as<std::string>()].IsMap());
    REQUIRE(key("script").IsDefined());
    CHECK((key("script").IsSequence() || key("script").IsScalar()));
    CHECK(stages.contains(key("stage").as<std::string>("test")));
    for (const YAML::Node& rule : job["rules"]) {
      const std::string condition = rule["if"].as<std::string>("");
      if (condition == "$CI_PIPELINE_SOURCE == \"schedule\"") on_schedule = true;
      if (condition == "$CI_PIPELINE_SOURCE == \"merge_request_event\"" &&
          rule["changes"].IsDefined()) {
        on_merge_request = true;
      }
    }
  }
  CHECK(job_count >= 2);
  CHECK(on_schedule);
  CHECK(on_merge_request);
}
