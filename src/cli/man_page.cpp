#include "cli/man_page.hpp"

#include <fmt/format.h>

#include "cli/parse.hpp"

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
    "  3  infrastructure error: a registry, a timeout, a broken baseline (or a\n"
    "     failing first build: 'init --capture'), disk or process failure, a\n"
    "     state folder another run holds, SIGINT or SIGTERM (nothing was\n"
    "     changed; if a push had already succeeded, the message says so and\n"
    "     the next run writes and commits the snapshot); or the work succeeded\n"
    "     but its --comment or --dashboard could not be posted (what it\n"
    "     shipped stands)\n";

struct EnvironmentVariable {
  std::string_view name;
  std::string_view meaning;
};

constexpr EnvironmentVariable kEnvironment[] = {
    {"GITHUB_TOKEN, GITLAB_TOKEN",
     "the token --comment and --dashboard post with; never printed or stored"},
    {"GITHUB_API_URL, CI_API_V4_URL",
     "the API base (GitHub Enterprise, self-hosted GitLab); default: the public services"},
    {"GITHUB_STEP_SUMMARY", "when set, the Markdown report is appended to this file too"},
    {"DRIFTLOCK_OCI_USERNAME, DRIFTLOCK_OCI_PASSWORD, DRIFTLOCK_OCI_REGISTRY",
     "credentials for the one OCI registry host DRIFTLOCK_OCI_REGISTRY names (e.g. ghcr.io), "
     "sent to no other"},
    {"DOCKER_CONFIG",
     "where Docker's config.json is (default: ~/.docker); its auths, "
     "credHelpers and credsStore are used"},
    {"REGISTRY_AUTH_FILE", "podman's and buildah's auth file, read before Docker's"},
    {"NETRC",
     "the netrc file whose entry for the PyPI index host is sent to it (default: ~/.netrc)"},
    {"NO_COLOR", "when set and not empty, text output has no colour (--color=always overrides)"},
};

// Text for roff: backslashes doubled as \e, hyphens as \-, and a line that
// would start with a control character ('.' or ''') protected.
std::string roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    switch (c) {
      case '\\':
        out += "\\e";
        break;
      case '-':
        out += "\\-";
        break;
      default:
        out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

std::string option_label(const OptionSpec& option) {
  std::string label;
  for (std::string_view name : option_names(option)) {
    if (!label.empty()) label += ", ";
    label += fmt::format("\\fB{}\\fR", roff(name));
  }
  if (!option.value_name.empty()) label += fmt::format(" \\fI{}\\fR", roff(option.value_name));
  return label;
}

void describe_options(std::string& out, std::span<const OptionSpec> options) {
  for (const OptionSpec& option : options) {
    if (option.hidden) continue;
    if (option.positional()) {
      out += fmt::format(".TP\n\\fI{}\\fR\n{}\n", roff(option.value_name), roff(option.help));
    } else {
      out += fmt::format(".TP\n{}\n{}\n", option_label(option), roff(option.help));
    }
  }
}

void describe_command(std::string& out, const Command& command) {
  out += fmt::format(".SS \"{}\"\n{}\n", roff(synopsis(command)), roff(command.description));
  describe_options(out, command.options);
  for (const Command& sub : command.subcommands) {
    out += fmt::format(".TP\n\\fB{}\\fR\n{}\n.RS\n", roff(synopsis(sub, command.name)),
                       roff(sub.description));
    describe_options(out, sub.options);
    out += ".RE\n";
  }
  if (!command.footer.empty()) out += fmt::format(".PP\n.nf\n{}.fi\n", roff(command.footer));
}

}  // namespace

std::string_view exit_codes_text() {
  return kExitCodes;
}

std::string synopsis(const Command& command, std::string_view parent) {
  std::string out = "driftlock ";
  if (!parent.empty()) out += fmt::format("{} ", parent);
  out += command.name;
  bool has_options = false;
  for (const OptionSpec& option : command.options) {
    if (option.hidden) continue;
    if (!option.positional()) {
      if (option.presence == Presence::required) {
        out += fmt::format(" {} {}", primary_name(option), option.value_name);
      } else {
        has_options = true;
      }
    }
  }
  if (has_options || parent.empty()) out += " [options]";
  if (!command.subcommands.empty()) {
    std::string names;
    for (const Command& sub : command.subcommands) {
      names += names.empty() ? "" : "|";
      names += sub.name;
    }
    out += fmt::format(" [{} ...]", names);
  }
  for (const OptionSpec& option : command.options) {
    if (!option.positional()) continue;
    const std::string_view dots = option.arity == Arity::many ? "..." : "";
    out += option.presence == Presence::required ? fmt::format(" {}{}", option.value_name, dots)
                                                 : fmt::format(" [{}{}]", option.value_name, dots);
  }
  return out;
}

std::string man_page() {
  std::string out = fmt::format(
      ".\\\" Generated by 'driftlock help --man' from the command table; do not edit.\n"
      ".TH DRIFTLOCK 1 \"\" \"driftlock {}\" \"User Commands\"\n"
      ".SH NAME\n"
      "driftlock \\- keep a CI image's dependencies moving without shipping a broken image\n"
      ".SH SYNOPSIS\n"
      ".B driftlock\n"
      "[\\fB\\-\\-version\\fR] [\\fB\\-\\-help\\fR] \\fIcommand\\fR [\\fIargs\\fR]\n"
      ".SH DESCRIPTION\n"
      "driftlock resolves the newest allowed release of every dependency a CI image\n"
      "installs (PyPI, npm, Debian, OCI base images), builds and tests a candidate\n"
      "with just those changes against the image's last\\-known\\-good snapshot, and\n"
      "ships it when it passes; otherwise it names the culprits, holds them back and\n"
      "still ships every safe update.\n"
      ".SH COMMANDS\n",
      DRIFTLOCK_VERSION);
  for (const Command& command : commands()) describe_command(out, command);
  out += ".SH \"OPTIONS OF EVERY COMMAND\"\n";
  out += ".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nshow the command's help\n";
  describe_options(out, kCommonOptions);
  out +=
      ".TP\n\\fB\\-m\\fR, \\fB\\-\\-manifest\\fR \\fIFILE\\fR\n"
      "the manifest (default: ./driftlock.toml); accepted by every command, read by\n"
      "those that need one\n";
  out += ".SH \"EXIT STATUS\"\n.nf\n" + roff(kExitCodes) + ".fi\n";
  out += ".SH ENVIRONMENT\n";
  for (const EnvironmentVariable& variable : kEnvironment) {
    out += fmt::format(".TP\n\\fB{}\\fR\n{}\n", roff(variable.name), roff(variable.meaning));
  }
  out +=
      ".SH FILES\n"
      ".TP\n\\fIdriftlock.toml\\fR\nthe manifest: the image, its dependencies and ranges, the "
      "build, test and push commands\n"
      ".TP\n\\fI.driftlock/\\fR\nthe state folder beside the manifest: HTTP cache, memoised "
      "builds, run history, logs\n"
      ".SH \"SEE ALSO\"\n"
      "docs/commands.md, docs/manifest.md and docs/formats.md in driftlock's source.\n";
  return out;
}

}  // namespace driftlock::cli
