// --comment and GITHUB_STEP_SUMMARY through the CLI: usage errors before any
// work, the report posted after it, a failed post reported without the token
// and never hiding the command's own verdict.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "cli/main.hpp"
#include "exec/temp_dir.hpp"
#include "support/fake_forge.hpp"

using namespace driftlock;
using driftlock::testing::FakeThread;
using driftlock::testing::LoopbackServer;
using driftlock::testing::make_reply;
using driftlock::testing::TempDir;

namespace {

const std::string kToken = "ghp_cliT0kenThatMustNeverBePrinted";
const std::string kForms =
    "; expected github:OWNER/REPO#N, gitlab:GROUP/PROJECT#N or gitlab:GROUP/PROJECT!N";

struct Outcome {
  int code;
  std::string out, err;
};

Outcome run_cli(std::vector<std::string> args, std::map<std::string, std::string> env) {
  std::ostringstream out, err;
  FixedClock clock(*parse_timestamp("2026-11-25T03:00:00Z"));
  Environment lookup = [vars =
                            std::move(env)](std::string_view name) -> std::optional<std::string> {
    auto found = vars.find(std::string(name));
    if (found == vars.end()) return std::nullopt;
    return found->second;
  };
  int code = cli::run(args, out, err, clock, publish::Color::never, lookup);
  return {code, out.str(), err.str()};
}

// A manifest whose build passes (or fails) and its snapshot, for `check`.
struct Image {
  TempDir dir;
  std::filesystem::path manifest = dir.path() / "driftlock.toml";

  explicit Image(std::string_view build = "touch built") {
    std::ofstream(manifest) << "image = \"demo\"\nsnapshot = \"demo.lock.json\"\n[commands]\n"
                            << "build = \"" << build << "\"\n[dependencies.npm]\na = \"*\"\n";
    std::ofstream(dir.path() / "demo.lock.json")
        << R"({"format": "driftlock-snapshot", "version": 1, "image": "demo",)"
        << R"( "created": "2026-11-18T03:00:00Z",)"
        << R"( "dependencies": [{"ecosystem": "npm", "name": "a", "version": "1.0.0"}],)"
        << R"( "held": []})";
  }
};

}  // namespace

TEST_CASE("a malformed --comment target is a usage error before anything is built",
          "[cli][forge]") {
  Image image;
  const std::string m = image.manifest.string();
  const std::vector<std::vector<std::string>> commands = {
      {"run", "-m", m},
      {"check", "-m", m},
      {"bisect", "-m", m, "--from", "a.lock.json", "--to", "b.lock.json"},
      {"report", "-m", m},
  };
  for (std::vector<std::string> args : commands) {
    INFO(args[0]);
    args.insert(args.end(), {"--comment", "github:octo/images"});
    Outcome result = run_cli(args, {{"GITHUB_TOKEN", kToken}});
    CHECK(result.code == 2);
    CHECK(result.out.empty());
    CHECK(result.err ==
          "driftlock: error: --comment 'github:octo/images': no '#N' (issue or pull request "
          "number) at the end" +
              kForms + "\n");
  }
  CHECK_FALSE(std::filesystem::exists(image.dir.path() / "built"));
  CHECK_FALSE(std::filesystem::exists(image.dir.path() / ".driftlock"));
}

TEST_CASE("a comment target without its token is a usage error before anything is built",
          "[cli][forge]") {
  Image image;
  Outcome result =
      run_cli({"check", "-m", image.manifest.string(), "--comment", "gitlab:infra/images!7"},
              {{"GITHUB_TOKEN", kToken}});
  CHECK(result.code == 2);
  CHECK(result.err ==
        "driftlock: error: --comment gitlab:infra/images!7: GITLAB_TOKEN is not set (a token "
        "that may use the API; GitLab CI's job token cannot post notes)\n");
  CHECK_FALSE(std::filesystem::exists(image.dir.path() / "built"));
}

TEST_CASE("check --comment posts its Markdown report once, then updates it", "[cli][forge]") {
  LoopbackServer server;
  FakeThread thread;
  testing::serve_github(server, thread);
  Image image;
  const std::map<std::string, std::string> env = {{"GITHUB_TOKEN", kToken},
                                                  {"GITHUB_API_URL", server.url("/")}};
  const std::vector<std::string> args = {
      "check",   "-m",        image.manifest.string(), "--format", "markdown",
      "--quiet", "--comment", "github:octo/images#5"};

  Outcome first = run_cli(args, env);
  CHECK(first.code == 0);
  CHECK(first.err.empty());  // --quiet: no progress, no "posted" note
  CHECK(std::filesystem::exists(image.dir.path() / "built"));
  REQUIRE(thread.all().size() == 1);
  CHECK(thread.all()[0].body ==
        "<!-- driftlock:comment image=demo command=check -->\n" + first.out);

  std::vector<std::string> loud = args;
  std::erase(loud, "--quiet");
  Outcome second = run_cli(loud, env);
  CHECK(second.code == 0);
  CHECK(second.err.ends_with(" on github:octo/images#5\n"));
  CHECK(second.err.find("driftlock: comment ") != std::string::npos);
  REQUIRE(thread.all().size() == 1);
  CHECK(thread.all()[0].body ==
        "<!-- driftlock:comment image=demo command=check -->\n" + second.out);
  for (const auto& request : server.requests(testing::kGithubComments)) {
    CHECK(request.header("authorization") == "Bearer " + kToken);
  }
  for (const Outcome& o : {first, second}) {
    CHECK(o.out.find(kToken) == std::string::npos);
    CHECK(o.err.find(kToken) == std::string::npos);
  }
}

TEST_CASE("a failed post exits 3 unless the command already failed, and hides the token",
          "[cli][forge]") {
  LoopbackServer server;
  server.route(testing::kGithubComments,
               make_reply(401, R"({"message":"Bad credentials"})", "application/json"));
  const std::map<std::string, std::string> env = {{"GITHUB_TOKEN", kToken},
                                                  {"GITHUB_API_URL", server.url("")}};
  const std::string error =
      "driftlock: error: cannot post the comment to github:octo/images#5: GET " +
      server.url(testing::kGithubComments) + "?per_page=100: HTTP 401 (Bad credentials)\n";
  struct Case {
    std::string build;
    int code;
  };
  for (const Case& c : {Case{"touch built", 3}, Case{"touch built; exit 1", 1}}) {
    INFO(c.build);
    Image image(c.build);
    Outcome result = run_cli(
        {"check", "-m", image.manifest.string(), "--quiet", "--comment", "github:octo/images#5"},
        env);
    CHECK(result.code == c.code);
    CHECK(result.err == error);
    CHECK_FALSE(result.out.empty());  // the report is printed before the post is tried
    CHECK(result.out.find(kToken) == std::string::npos);
    CHECK(std::filesystem::exists(image.dir.path() / "built"));
  }
}

TEST_CASE("GITHUB_STEP_SUMMARY gets the Markdown report appended", "[cli][forge]") {
  Image image;
  const auto summary = image.dir.path() / "summary.md";
  auto read_summary = [&summary] {
    std::ifstream in(summary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  std::ofstream(summary) << "# earlier step\n";
  const std::map<std::string, std::string> env = {{"GITHUB_STEP_SUMMARY", summary.string()}};
  Outcome markdown =
      run_cli({"check", "-m", image.manifest.string(), "--quiet", "--format", "markdown"}, env);
  CHECK(markdown.code == 0);
  CHECK(markdown.err.empty());
  // The report, then a blank line before whatever the next step appends.
  CHECK(read_summary() == "# earlier step\n" + markdown.out + "\n");

  // Text on stdout, Markdown in the summary.
  std::ofstream(summary) << "";
  Outcome text = run_cli({"check", "-m", image.manifest.string(), "--quiet"}, env);
  CHECK(text.code == 0);
  const std::string appended = read_summary();
  CHECK(appended != text.out);
  CHECK(appended.substr(0, appended.find('\n')) == markdown.out.substr(0, markdown.out.find('\n')));

  Outcome unwritable = run_cli({"check", "-m", image.manifest.string(), "--quiet"},
                               {{"GITHUB_STEP_SUMMARY", image.dir.path().string()}});
  CHECK(unwritable.code == 3);
  CHECK(unwritable.err.starts_with(
      "driftlock: error: cannot append the report to GITHUB_STEP_SUMMARY '" +
      image.dir.path().string() + "': "));
}
