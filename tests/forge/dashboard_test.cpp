// The drift dashboard issue, against a loopback server that plays GitHub's
// and GitLab's issue APIs: every request's method, path, headers and body are
// checked; retries wait through the client's sleep seam, so nothing here
// sleeps. Then `--dashboard` as the CLI posts it (cli/dashboard.hpp): the
// repository target, the state folder's last runs, what is printed.
#include <catch2/catch.hpp>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/dashboard.hpp"
#include "exec/temp_dir.hpp"
#include "forge/dashboard.hpp"
#include "net/curl_client.hpp"
#include "store/runs.hpp"
#include "store/state_dir.hpp"
#include "support/fake_forge.hpp"
#include "support/loopback_server.hpp"

using namespace driftlock;
using namespace driftlock::forge;
using driftlock::testing::FakeIssues;
using driftlock::testing::Issue;
using driftlock::testing::kGithubIssues;
using driftlock::testing::kGitlabIssues;
using driftlock::testing::kGitlabIssuesTarget;
using driftlock::testing::LoopbackServer;
using driftlock::testing::make_reply;
using driftlock::testing::ReceivedRequest;
using driftlock::testing::serve_github_issues;
using driftlock::testing::serve_gitlab_issues;
using driftlock::testing::TempDir;
using json = nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

const std::string kToken = "glpat-dashb0ardT0kenThatMustNeverBePrinted";
const std::string kMarker = "<!-- driftlock:dashboard image=ci-base -->";
const std::string kTitle = "driftlock dashboard: ci-base";

RepoTarget github_repo() {
  return *parse_repo_target("github:octo/images");
}

RepoTarget gitlab_repo() {
  return *parse_repo_target("gitlab:infra/ci/images");
}

Endpoint endpoint(const LoopbackServer& server) {
  return Endpoint{server.url(""), kToken};
}

// The forge's HTTP settings with the waits recorded instead of slept.
struct Client {
  std::vector<milliseconds> waits;
  FixedClock clock{Timestamp(seconds(1764039600))};
  net::CurlHttpClient http;

  Client() : http(options(), &clock) {}

  net::HttpOptions options() {
    net::HttpOptions o = forge_http_options();
    o.jitter_seed = 7;
    o.sleep = [this](milliseconds wait) { waits.push_back(wait); };
    return o;
  }
};

void check_headers(const ReceivedRequest& r, Forge forge) {
  if (forge == Forge::github) {
    CHECK(r.header("authorization") == "Bearer " + kToken);
    CHECK(r.header("accept") == "application/vnd.github+json");
    CHECK(r.header("x-github-api-version") == "2022-11-28");
    CHECK(!r.header("private-token"));
  } else {
    CHECK(r.header("private-token") == kToken);
    CHECK(!r.header("authorization"));
  }
  if (r.method != "GET") CHECK(r.header("content-type") == "application/json");
}

Result<DashboardIssue> update(Client& client, const RepoTarget& target, const Endpoint& where,
                              const std::string& markdown, const std::string& title = kTitle) {
  return update_dashboard(client.http, target, where, kMarker, title, markdown);
}

}  // namespace

TEST_CASE("github: the dashboard is opened once, then edited in place", "[dashboard]") {
  LoopbackServer server;
  FakeIssues issues;
  serve_github_issues(server, issues);
  issues.add("Flaky build on arm64", "It fails sometimes.");
  // A pull request whose description starts with the marker is not the dashboard.
  issues.add("Copy the dashboard", kMarker + "\nmy copy\n", /*pull_request=*/true);
  Client client;

  auto first = update(client, github_repo(), endpoint(server), "# one\n");
  REQUIRE(first.has_value());
  CHECK(first->action == PostAction::created);
  CHECK(first->number == 42);
  CHECK(first->url == "https://github.example/octo/images/issues/42");
  auto second = update(client, github_repo(), endpoint(server), "# two\n");
  REQUIRE(second.has_value());
  CHECK(second->action == PostAction::updated);
  CHECK(second->number == 42);
  CHECK(second->url == "https://github.example/octo/images/issues/42");

  std::vector<Issue> all = issues.all();
  REQUIRE(all.size() == 3);
  CHECK(all[0].body == "It fails sometimes.");
  CHECK(all[1].body == kMarker + "\nmy copy\n");
  CHECK(all[2].title == kTitle);
  CHECK(all[2].body == kMarker + "\n# two\n");

  auto collection = server.requests(kGithubIssues);
  REQUIRE(collection.size() == 3);
  CHECK(collection[0].method == "GET");
  CHECK(collection[0].target == kGithubIssues + "?state=open&per_page=100");
  CHECK(collection[0].body.empty());
  CHECK(collection[1].method == "POST");
  CHECK(collection[1].target == kGithubIssues);
  CHECK(json::parse(collection[1].body) ==
        json{{"title", kTitle}, {"body", kMarker + "\n# one\n"}});
  CHECK(collection[2].method == "GET");
  auto edits = server.requests(kGithubIssues + "/42");
  REQUIRE(edits.size() == 1);
  CHECK(edits[0].method == "PATCH");
  CHECK(json::parse(edits[0].body) == json{{"title", kTitle}, {"body", kMarker + "\n# two\n"}});
  for (const ReceivedRequest& r : collection) check_headers(r, Forge::github);
  check_headers(edits[0], Forge::github);
  CHECK(server.request_count(kGithubIssues + "/41") == 0);
  CHECK(server.request_count(kGithubIssues + "/40") == 0);
  CHECK(client.waits.empty());

  // The same dashboard again changes nothing; a new title alone is an edit.
  auto third = update(client, github_repo(), endpoint(server), "# two\n");
  REQUIRE(third.has_value());
  CHECK(third->action == PostAction::unchanged);
  CHECK(third->number == 42);
  CHECK(third->url == "https://github.example/octo/images/issues/42");
  CHECK(server.request_count(kGithubIssues + "/42") == 1);
  auto renamed = update(client, github_repo(), endpoint(server), "# two\n", "renamed");
  REQUIRE(renamed.has_value());
  CHECK(renamed->action == PostAction::updated);
  CHECK(issues.find(42)->title == "renamed");
  CHECK(issues.all().size() == 3);
}

TEST_CASE("gitlab: the dashboard is opened once, then edited in place", "[dashboard]") {
  LoopbackServer server;
  FakeIssues issues;
  serve_gitlab_issues(server, issues);
  issues.add("Unrelated", "nothing to see");
  Client client;

  auto first = update(client, gitlab_repo(), endpoint(server), "one\n");
  REQUIRE(first.has_value());
  CHECK(first->action == PostAction::created);
  CHECK(first->number == 41);
  CHECK(first->url == "https://gitlab.example/infra/ci/images/-/issues/41");
  auto second = update(client, gitlab_repo(), endpoint(server), "two\n");
  REQUIRE(second.has_value());
  CHECK(second->action == PostAction::updated);
  CHECK(second->number == 41);
  REQUIRE(issues.all().size() == 2);
  CHECK(issues.all()[0].body == "nothing to see");
  CHECK(issues.all()[1].body == kMarker + "\ntwo\n");

  auto collection = server.requests(kGitlabIssues);
  REQUIRE(collection.size() == 3);
  CHECK(collection[0].method == "GET");
  CHECK(collection[0].target == kGitlabIssuesTarget + "?state=opened&per_page=100");
  CHECK(collection[1].method == "POST");
  CHECK(collection[1].target == kGitlabIssuesTarget);
  CHECK(json::parse(collection[1].body) ==
        json{{"title", kTitle}, {"description", kMarker + "\none\n"}});
  auto edits = server.requests(kGitlabIssues + "/41");
  REQUIRE(edits.size() == 1);
  CHECK(edits[0].method == "PUT");
  CHECK(edits[0].target == kGitlabIssuesTarget + "/41");
  CHECK(json::parse(edits[0].body) ==
        json{{"title", kTitle}, {"description", kMarker + "\ntwo\n"}});
  for (const ReceivedRequest& r : collection) check_headers(r, Forge::gitlab);
  check_headers(edits[0], Forge::gitlab);
  CHECK(server.request_count(kGitlabIssues + "/40") == 0);

  auto third = update(client, gitlab_repo(), endpoint(server), "two\n");
  REQUIRE(third.has_value());
  CHECK(third->action == PostAction::unchanged);
  CHECK(server.request_count(kGitlabIssues + "/41") == 1);
}

TEST_CASE("the dashboard is found again on a later page", "[dashboard]") {
  for (Forge forge : {Forge::github, Forge::gitlab}) {
    INFO(forge_name(forge));
    LoopbackServer server;
    FakeIssues issues;
    forge == Forge::github ? serve_github_issues(server, issues)
                           : serve_gitlab_issues(server, issues);
    const std::string collection = forge == Forge::github ? kGithubIssues : kGitlabIssues;
    // Listed newest first, two a page: the dashboard (40) is on page 2.
    const std::uint64_t dashboard = issues.add(kTitle, kMarker + "\nold dashboard\n");
    // Someone quoting the marker is not the dashboard: it is not the first line.
    issues.add("Why this marker?", "> " + kMarker + "\nwhat is it?");
    // Another image's dashboard.
    issues.add("driftlock dashboard: other", "<!-- driftlock:dashboard image=other -->\nx\n");
    issues.add("Later", "later");
    Client client;
    const RepoTarget target = forge == Forge::github ? github_repo() : gitlab_repo();

    auto posted = update(client, target, endpoint(server), "new dashboard\n");
    REQUIRE(posted.has_value());
    CHECK(posted->action == PostAction::updated);
    CHECK(posted->number == dashboard);
    std::vector<Issue> all = issues.all();
    REQUIRE(all.size() == 4);
    CHECK(all[0].body == kMarker + "\nnew dashboard\n");
    CHECK(all[1].body == "> " + kMarker + "\nwhat is it?");
    CHECK(all[2].body == "<!-- driftlock:dashboard image=other -->\nx\n");

    auto pages = server.requests(collection);
    REQUIRE(pages.size() == 2);
    CHECK(pages[0].method == "GET");
    CHECK(pages[1].method == "GET");
    CHECK(pages[1].target.ends_with(
        "?state=" + std::string(forge == Forge::github ? "open" : "opened") +
        "&per_page=100&page=2"));
    for (const ReceivedRequest& r : pages) check_headers(r, forge);
    for (std::uint64_t other : {41, 42, 43}) {
      CHECK(server.request_count(collection + "/" + std::to_string(other)) == 0);
    }
  }
}

TEST_CASE("a closed dashboard is left closed and a new one is opened", "[dashboard]") {
  LoopbackServer server;
  FakeIssues issues;
  serve_github_issues(server, issues);
  issues.add(kTitle, kMarker + "\nold\n", false, /*open=*/false);
  Client client;
  auto posted = update(client, github_repo(), endpoint(server), "new\n");
  REQUIRE(posted.has_value());
  CHECK(posted->action == PostAction::created);
  CHECK(posted->number == 41);
  CHECK(issues.find(40)->body == kMarker + "\nold\n");
}

TEST_CASE("a dashboard longer than GitHub takes is cut at a line", "[dashboard]") {
  LoopbackServer server;
  FakeIssues issues;
  serve_github_issues(server, issues);
  Client client;
  std::string markdown;
  while (markdown.size() < 70000) markdown += "| npm `left-pad` | 1.0.0 | 1.0.1 |\n";
  auto posted = update(client, github_repo(), endpoint(server), markdown);
  REQUIRE(posted.has_value());
  const std::string body = issues.all().at(0).body;
  CHECK(body.size() <= 65536);
  CHECK(body.starts_with(kMarker + "\n| npm `left-pad` |"));
  CHECK(
      body.ends_with("| 1.0.1 |\n\n*The dashboard was cut here to fit the issue; `driftlock "
                     "report` and `driftlock history` show all of it.*\n"));
  // Cut the same way again, it is unchanged.
  auto again = update(client, github_repo(), endpoint(server), markdown);
  REQUIRE(again.has_value());
  CHECK(again->action == PostAction::unchanged);
}

TEST_CASE("the dashboard rides out a secondary rate limit's 403 with Retry-After",
          "[dashboard][retry]") {
  LoopbackServer server;
  FakeIssues issues;
  serve_github_issues(server, issues);
  const std::string next_base = server.url(kGithubIssues);
  server.route(kGithubIssues, [&issues, next_base](const ReceivedRequest& r, int count) {
    if (r.method == "POST" && count == 2) {
      return make_reply(403,
                        R"({"message":"You have exceeded a secondary rate limit. Please wait a )"
                        R"(few minutes before you try again."})",
                        "application/json", {{"Retry-After", "41"}});
    }
    return issues.collection(r, Forge::github, next_base);
  });
  Client client;
  auto posted = update(client, github_repo(), endpoint(server), "r\n");
  REQUIRE(posted.has_value());
  CHECK(posted->action == PostAction::created);
  CHECK(client.waits == std::vector<milliseconds>{seconds(41)});
  CHECK(issues.all().size() == 1);
  auto seen = server.requests(kGithubIssues);
  REQUIRE(seen.size() == 3);
  CHECK(seen[1].method == "POST");
  CHECK(seen[2].method == "POST");
  CHECK(seen[2].body == seen[1].body);

  // An edit waits it out the same way.
  server.route_prefix(kGithubIssues + "/", [&issues](const ReceivedRequest& r, int count) {
    if (count == 1) {
      return make_reply(403, R"({"message":"secondary rate limit"})", "application/json",
                        {{"Retry-After", "3"}});
    }
    return issues.edit(r, Forge::github);
  });
  auto edited = update(client, github_repo(), endpoint(server), "s\n");
  REQUIRE(edited.has_value());
  CHECK(edited->action == PostAction::updated);
  CHECK(client.waits == std::vector<milliseconds>{seconds(41), seconds(3)});
  CHECK(issues.all().at(0).body == kMarker + "\ns\n");
}

TEST_CASE("the dashboard's errors name the repository and never the token", "[dashboard]") {
  LoopbackServer server;
  server.route(
      kGitlabIssues,
      make_reply(401, json{{"message", "401 Unauthorized " + kToken}}.dump(), "application/json"));
  Client client;
  auto posted = update(client, gitlab_repo(), endpoint(server), "r\n");
  REQUIRE_FALSE(posted.has_value());
  CHECK(posted.error().kind == ErrorKind::infrastructure);
  CHECK(posted.error().message ==
        "cannot update the dashboard issue on gitlab:infra/ci/images: GET " +
            server.url(kGitlabIssuesTarget) +
            "?state=opened&per_page=100: HTTP 401 (401 Unauthorized ***)");
  CHECK(posted.error().message.find(kToken) == std::string::npos);
}

TEST_CASE("the dashboard's token goes to the API's server only", "[dashboard]") {
  LoopbackServer other;
  other.route(kGithubIssues,
              make_reply(200, "[]", "application/json",
                         {{"Link", "<https://elsewhere.example/steal?page=2>; rel=\"next\""}}));
  Client client;
  auto stolen = update(client, github_repo(), endpoint(other), "r\n");
  REQUIRE_FALSE(stolen.has_value());
  CHECK(stolen.error().message ==
        "cannot update the dashboard issue on github:octo/images: the next page of open issues "
        "is on another server (https://elsewhere.example/steal?page=2); not sending the token "
        "there");

  CHECK(other.request_count(kGithubIssues) == 1);
}

TEST_CASE("an answer that is not a list of issues is an error", "[dashboard]") {
  LoopbackServer proxy;
  proxy.route(kGithubIssues, make_reply(200, "<html>login</html>", "text/html"));
  Client client;
  auto html = update(client, github_repo(), endpoint(proxy), "r\n");
  REQUIRE_FALSE(html.has_value());
  CHECK(html.error().message == "cannot update the dashboard issue on github:octo/images: GET " +
                                    proxy.url(kGithubIssues) +
                                    "?state=open&per_page=100: the answer is not a list of open "
                                    "issues");
}

TEST_CASE("the dashboard marker names the image", "[dashboard]") {
  CHECK(dashboard_marker("ci-base") == "<!-- driftlock:dashboard image=ci-base -->");
}

TEST_CASE("dashboard targets name a forge and a repository", "[dashboard]") {
  struct Case {
    std::string text;
    Forge forge;
    std::string project;
  };
  const Case cases[] = {
      {"github:octo/hello", Forge::github, "octo/hello"},
      {"github:my-org/.github", Forge::github, "my-org/.github"},
      {"gitlab:group/project", Forge::gitlab, "group/project"},
      {"gitlab:my_group/sub.group/ci-images", Forge::gitlab, "my_group/sub.group/ci-images"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto target = parse_repo_target(c.text);
    REQUIRE(target.has_value());
    CHECK(target->forge == c.forge);
    CHECK(target->project == c.project);
    CHECK(to_string(*target) == c.text);
  }
}

TEST_CASE("a malformed dashboard target is a usage error saying what is wrong", "[dashboard]") {
  const std::string forms = "; expected github:OWNER/REPO or gitlab:GROUP/PROJECT";
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"", "--dashboard '': no forge ('github:' or 'gitlab:')"},
      {"octo/hello", "--dashboard 'octo/hello': no forge ('github:' or 'gitlab:')"},
      {"gitlb:g/p", "--dashboard 'gitlb:g/p': unknown forge 'gitlb' (did you mean 'gitlab'?)"},
      {"github:octo/hello#5",
       "--dashboard 'github:octo/hello#5': '#5' names an issue or merge request; the dashboard "
       "takes the repository only"},
      {"gitlab:g/p!7",
       "--dashboard 'gitlab:g/p!7': '!7' names an issue or merge request; the dashboard takes "
       "the repository only"},
      {"github:hello", "--dashboard 'github:hello': 'hello' is not OWNER/REPO"},
      {"github:a/b/c", "--dashboard 'github:a/b/c': 'a/b/c' is not OWNER/REPO"},
      {"gitlab:project", "--dashboard 'gitlab:project': 'project' is not GROUP/PROJECT"},
      {"github:octo/",
       "--dashboard 'github:octo/': 'octo/' is not a project path (letters, "
       "digits, '.', '_' and '-' between slashes)"},
      {"gitlab:g/../p",
       "--dashboard 'gitlab:g/../p': 'g/../p' is not a project path (letters, "
       "digits, '.', '_' and '-' between slashes)"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto target = parse_repo_target(c.text);
    REQUIRE_FALSE(target.has_value());
    CHECK(target.error().kind == ErrorKind::usage);
    CHECK(target.error().message == c.message + forms);
  }
}

TEST_CASE("the dashboard's endpoint comes from the environment as the comment's does",
          "[dashboard]") {
  struct Case {
    std::string target;
    std::map<std::string, std::string> env;
    std::string base;  // empty: an error is expected
    std::string error;
  };
  const Case cases[] = {
      {"github:o/r", {{"GITHUB_TOKEN", "t"}}, "https://api.github.com", ""},
      {"github:o/r",
       {{"GITHUB_TOKEN", "t"}, {"GITHUB_API_URL", "https://ghe.example/api/v3/"}},
       "https://ghe.example/api/v3",
       ""},
      {"gitlab:g/p",
       {{"GITLAB_TOKEN", "t"}, {"CI_API_V4_URL", "http://gitlab.internal/api/v4"}},
       "http://gitlab.internal/api/v4",
       ""},
      {"github:o/r",
       {},
       "",
       "--dashboard github:o/r: GITHUB_TOKEN is not set (a token that may write the "
       "repository's issues)"},
      {"gitlab:g/p",
       {{"GITHUB_TOKEN", "t"}},
       "",
       "--dashboard gitlab:g/p: GITLAB_TOKEN is not set (a token that may use the API; GitLab "
       "CI's job token cannot create issues)"},
      {"gitlab:g/p",
       {{"GITLAB_TOKEN", "t"}, {"CI_API_V4_URL", "gitlab.internal"}},
       "",
       "--dashboard gitlab:g/p: CI_API_V4_URL 'gitlab.internal' is not an http or https URL"},
  };
  for (const Case& c : cases) {
    INFO(c.target);
    Environment env = [&c](std::string_view name) -> std::optional<std::string> {
      auto found = c.env.find(std::string(name));
      if (found == c.env.end()) return std::nullopt;
      return found->second;
    };
    auto got = endpoint_for(*parse_repo_target(c.target), env);
    if (c.base.empty()) {
      REQUIRE_FALSE(got.has_value());
      CHECK(got.error().kind == ErrorKind::usage);
      CHECK(got.error().message == c.error);
    } else {
      REQUIRE(got.has_value());
      CHECK(got->api_base == c.base);
      CHECK(got->token == "t");
    }
  }
}

// --- `--dashboard` as the CLI posts it (cli/dashboard.hpp) ---

namespace {

struct Cli {
  std::ostringstream out, err;
  FixedClock clock{*parse_timestamp("2026-12-05T04:00:00Z")};
  std::map<std::string, std::string> vars;
  cli::Context context{out, err, publish::Color::never, clock, {}, {}};

  explicit Cli(std::map<std::string, std::string> env) : vars(std::move(env)) {
    context.env = [this](std::string_view name) -> std::optional<std::string> {
      auto found = vars.find(std::string(name));
      if (found == vars.end()) return std::nullopt;
      return found->second;
    };
  }
};

// A state folder with two finished runs, as the pipeline records them.
void record_runs(const std::filesystem::path& folder) {
  auto state = store::StateDir::open(folder);
  REQUIRE(state.has_value());
  store::RunLog log(state->database());
  auto first = log.begin(store::RunKind::run, *parse_timestamp("2026-12-04T03:00:00Z"));
  REQUIRE(first.has_value());
  REQUIRE(log.finish(*first, store::RunStatus::worse,
                     R"({"changes": 3, "culprits": ["pypi cryptography 43.0.0"], "builds": 7,)"
                     R"( "message": "2 updates shipped, 1 change held back"})",
                     *parse_timestamp("2026-12-04T03:40:00Z"))
              .has_value());
  auto second = log.begin(store::RunKind::run, *parse_timestamp("2026-12-05T03:00:00Z"));
  REQUIRE(second.has_value());
  REQUIRE(
      log.finish(*second, store::RunStatus::ok,
                 R"({"changes": 1, "culprits": [], "builds": 2, "message": "1 update shipped"})",
                 *parse_timestamp("2026-12-05T03:10:00Z"))
          .has_value());
}

}  // namespace

TEST_CASE("dashboard option: checked before any work, posted after it", "[dashboard][cli]") {
  LoopbackServer server;
  FakeIssues issues;
  serve_github_issues(server, issues);
  Cli cli({{"GITHUB_TOKEN", kToken}, {"GITHUB_API_URL", server.url("")}});

  auto none = cli::prepare_dashboard("", cli.context);
  REQUIRE(none.has_value());
  CHECK(!none->target);
  cli::publish_dashboard(cli.context, *none, {});
  CHECK(server.total_requests() == 0);

  auto bad = cli::prepare_dashboard("github:octo/images#3", cli.context);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().kind == ErrorKind::usage);
  Cli tokenless({});
  auto no_token = cli::prepare_dashboard("github:octo/images", tokenless.context);
  REQUIRE_FALSE(no_token.has_value());
  CHECK(no_token.error().kind == ErrorKind::usage);

  auto prepared = cli::prepare_dashboard("github:octo/images", cli.context);
  REQUIRE(prepared.has_value());
  REQUIRE(prepared->target);
  CHECK(prepared->endpoint.api_base == server.url(""));

  TempDir dir;
  const std::filesystem::path folder = dir.path() / ".driftlock";
  record_runs(folder);
  Snapshot snapshot;
  snapshot.image = "ci-base";
  snapshot.held = {
      {"pypi", "cryptography", "43.0.0", "test exited with 1", "2026-12-04T03:40:00Z"}};
  cli::DashboardInputs inputs{"ci-base", nullptr, &snapshot, nullptr, folder};

  // A dry run posts nothing.
  cli::publish_dashboard(cli.context, *prepared, inputs, cli::Posting::skip);
  CHECK(server.total_requests() == 0);
  CHECK(cli.err.str() ==
        "driftlock: note: dry run: nothing posted to the dashboard on github:octo/images\n");
  cli.err.str("");

  cli::publish_dashboard(cli.context, *prepared, inputs);
  CHECK(cli.context.late_errors.empty());
  CHECK(cli.err.str() ==
        "driftlock: dashboard created: https://github.example/octo/images/issues/40\n");
  REQUIRE(issues.all().size() == 1);
  const Issue issue = issues.all()[0];
  CHECK(issue.title == "driftlock dashboard: ci-base");
  CHECK(issue.body.starts_with(kMarker + "\n### driftlock dashboard: `ci-base`\n\n"
                                         "**1 held back; last run #2 (2026-12-05): 1 update "
                                         "shipped.**\n"));
  CHECK(issue.body.find("| pypi `cryptography` | 43.0.0 | 2026-12-04 | test exited with 1 | "
                        "`driftlock unhold pypi:cryptography` |") != std::string::npos);
  CHECK(issue.body.find("| #1 | run | 2026-12-04T03:00:00Z | 2026-12-04T03:40:00Z | worse | 7 | "
                        "`pypi cryptography 43.0.0` | 2 updates shipped, 1 change held back |") !=
        std::string::npos);

  // The same state an hour later: only the "Updated" line differs, so it is an edit.
  cli.err.str("");
  cli.clock.set(*parse_timestamp("2026-12-05T05:00:00Z"));
  cli::publish_dashboard(cli.context, *prepared, inputs);
  CHECK(cli.err.str() ==
        "driftlock: dashboard updated: https://github.example/octo/images/issues/40\n");
  CHECK(issues.all().size() == 1);
  CHECK(cli.out.str().empty());
}

TEST_CASE("dashboard option: a failed post is a late error without the token", "[dashboard][cli]") {
  LoopbackServer server;
  server.route(kGithubIssues, make_reply(401, json{{"message", "Bad credentials " + kToken}}.dump(),
                                         "application/json"));
  Cli cli({{"GITHUB_TOKEN", kToken}, {"GITHUB_API_URL", server.url("")}});
  auto prepared = cli::prepare_dashboard("github:octo/images", cli.context);
  REQUIRE(prepared.has_value());
  TempDir dir;
  // No state folder yet: the dashboard says so, and none is created.
  const std::filesystem::path folder = dir.path() / ".driftlock";
  cli::publish_dashboard(cli.context, *prepared, {"ci-base", nullptr, nullptr, nullptr, folder});
  CHECK(!std::filesystem::exists(folder));
  REQUIRE(cli.context.late_errors.size() == 1);
  const Error& error = cli.context.late_errors[0];
  CHECK(error.kind == ErrorKind::infrastructure);
  CHECK(error.message.starts_with("cannot update the dashboard issue on github:octo/images: GET "));
  CHECK(error.message.ends_with("HTTP 401 (Bad credentials ***)"));
  CHECK(error.message.find(kToken) == std::string::npos);
  CHECK(cli.err.str().find(kToken) == std::string::npos);
  CHECK(cli.out.str().empty());
}

TEST_CASE("dashboard option: the data comes from the command's report, snapshot and manifest",
          "[dashboard][cli]") {
  FixedClock clock(*parse_timestamp("2026-12-05T04:00:00Z"));
  Report report;
  report.image = "ci-base";
  ReportEntry entry;
  entry.ecosystem = "npm";
  entry.name = "left-pad";
  entry.range = "*";
  entry.current = "1.0.0";
  entry.resolved = "1.0.0";
  entry.hold = "1.0.0";
  entry.held = {{"npm", "left-pad", "1.1.0", "test exited with 1", std::nullopt}};
  report.entries.push_back(entry);

  TempDir dir;
  auto from_report = cli::dashboard_data({"ci-base", &report, nullptr, nullptr, dir.path()}, clock);
  REQUIRE(from_report.has_value());
  CHECK(from_report->generated == clock.now());
  REQUIRE(from_report->pending);
  REQUIRE(from_report->held);
  CHECK(*from_report->held == entry.held);
  REQUIRE(from_report->pins.size() == 1);
  CHECK(from_report->pins[0].version == "1.0.0");
  CHECK(!from_report->runs);  // no state.db: none is created
  CHECK(!std::filesystem::exists(dir.path() / "state.db"));

  Manifest manifest;
  manifest.dependencies.push_back({});
  manifest.dependencies.back().ecosystem = "pypi";
  manifest.dependencies.back().name = "requests";
  manifest.dependencies.back().hold = "2.31.0";
  Snapshot snapshot;
  auto from_both = cli::dashboard_data({"ci-base", nullptr, &snapshot, &manifest, {}}, clock);
  REQUIRE(from_both.has_value());
  CHECK(!from_both->pending);
  REQUIRE(from_both->held);
  CHECK(from_both->held->empty());
  REQUIRE(from_both->pins.size() == 1);
  CHECK(from_both->pins[0].name == "requests");

  auto nothing = cli::dashboard_data({"ci-base", nullptr, nullptr, nullptr, {}}, clock);
  REQUIRE(nothing.has_value());
  CHECK(!nothing->held);
  CHECK(nothing->pins.empty());
}
