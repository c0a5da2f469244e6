// Posting the report as one comment, against a loopback server that plays
// GitHub's and GitLab's comment APIs: every request's method, path, headers
// and body are checked; retries wait through the client's sleep seam, so
// nothing here sleeps.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "forge/comment.hpp"
#include "net/curl_client.hpp"
#include "support/fake_forge.hpp"
#include "support/loopback_server.hpp"

using namespace driftlock;
using namespace driftlock::forge;
using driftlock::testing::Comment;
using driftlock::testing::FakeThread;
using driftlock::testing::kGithubComments;
using driftlock::testing::kGitlabNotes;
using driftlock::testing::kGitlabTarget;
using driftlock::testing::LoopbackServer;
using driftlock::testing::make_reply;
using driftlock::testing::ReceivedRequest;
using driftlock::testing::Reply;
using driftlock::testing::serve_github;
using driftlock::testing::serve_gitlab;
using json = nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

const std::string kToken = "ghp_s3cr3tT0kenThatMustNeverBePrinted";
const std::string kMarker = "<!-- driftlock:comment image=ci-base command=run -->";

Target github_target() {
  return *parse_target("github:octo/images#5");
}

Target gitlab_target() {
  return *parse_target("gitlab:infra/ci/images!7");
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

void check_github_headers(const ReceivedRequest& r) {
  CHECK(r.header("authorization") == "Bearer " + kToken);
  CHECK(r.header("accept") == "application/vnd.github+json");
  CHECK(r.header("x-github-api-version") == "2022-11-28");
  CHECK(!r.header("private-token"));
  if (r.method != "GET") CHECK(r.header("content-type") == "application/json");
}

void check_gitlab_headers(const ReceivedRequest& r) {
  CHECK(r.header("private-token") == kToken);
  CHECK(!r.header("authorization"));
  if (r.method != "GET") CHECK(r.header("content-type") == "application/json");
}

std::string sent_body(const ReceivedRequest& r) {
  return json::parse(r.body).at("body").get<std::string>();
}

}  // namespace

TEST_CASE("github: posting twice creates one comment, then updates it", "[forge]") {
  LoopbackServer server;
  FakeThread thread;
  thread.add("LGTM");
  serve_github(server, thread);
  Client client;

  auto first = post_comment(client.http, github_target(), endpoint(server), kMarker, "# one\n");
  REQUIRE(first.has_value());
  CHECK(first->action == PostAction::created);
  CHECK(first->id == 9002);
  auto second = post_comment(client.http, github_target(), endpoint(server), kMarker, "# two\n");
  REQUIRE(second.has_value());
  CHECK(second->action == PostAction::updated);
  CHECK(second->id == 9002);

  std::vector<Comment> comments = thread.all();
  REQUIRE(comments.size() == 2);
  CHECK(comments[1].body == kMarker + "\n# two\n");

  auto collection = server.requests(kGithubComments);
  REQUIRE(collection.size() == 3);
  CHECK(collection[0].method == "GET");
  CHECK(collection[0].target == kGithubComments + "?per_page=100");
  CHECK(collection[0].body.empty());
  CHECK(collection[1].method == "POST");
  CHECK(collection[1].target == kGithubComments);
  CHECK(json::parse(collection[1].body) == json{{"body", kMarker + "\n# one\n"}});
  CHECK(collection[2].method == "GET");
  auto updates = server.requests("/repos/octo/images/issues/comments/9002");
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].method == "PATCH");
  CHECK(json::parse(updates[0].body) == json{{"body", kMarker + "\n# two\n"}});
  for (const ReceivedRequest& r : collection) check_github_headers(r);
  check_github_headers(updates[0]);
  CHECK(client.waits.empty());

  // The same report again changes nothing.
  auto third = post_comment(client.http, github_target(), endpoint(server), kMarker, "# two\n");
  REQUIRE(third.has_value());
  CHECK(third->action == PostAction::unchanged);
  CHECK(server.request_count("/repos/octo/images/issues/comments/9002") == 1);
}

TEST_CASE("gitlab: a merge request's note is created, then updated", "[forge]") {
  LoopbackServer server;
  FakeThread thread;
  serve_gitlab(server, thread);
  Client client;

  auto first = post_comment(client.http, gitlab_target(), endpoint(server), kMarker, "one\n");
  REQUIRE(first.has_value());
  CHECK(first->action == PostAction::created);
  auto second = post_comment(client.http, gitlab_target(), endpoint(server), kMarker, "two\n");
  REQUIRE(second.has_value());
  CHECK(second->action == PostAction::updated);
  CHECK(second->id == first->id);
  REQUIRE(thread.all().size() == 1);
  CHECK(thread.all()[0].body == kMarker + "\ntwo\n");

  auto notes = server.requests(kGitlabNotes);
  REQUIRE(notes.size() == 3);
  CHECK(notes[0].method == "GET");
  CHECK(notes[0].target == kGitlabTarget + "?per_page=100");
  CHECK(notes[1].method == "POST");
  CHECK(notes[1].target == kGitlabTarget);
  CHECK(sent_body(notes[1]) == kMarker + "\none\n");
  const std::string item = kGitlabNotes + "/" + std::to_string(first->id);
  auto updates = server.requests(item);
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].method == "PUT");
  CHECK(updates[0].target == kGitlabTarget + "/" + std::to_string(first->id));
  CHECK(sent_body(updates[0]) == kMarker + "\ntwo\n");
  for (const ReceivedRequest& r : notes) check_gitlab_headers(r);
  check_gitlab_headers(updates[0]);
}

TEST_CASE("gitlab: an issue's notes live under issues", "[forge]") {
  LoopbackServer server;
  FakeThread thread;
  server.route("/projects/group/project/issues/3/notes", [&thread](const ReceivedRequest& r, int) {
    return thread.collection(r, Forge::gitlab, "");
  });
  Client client;
  auto posted = post_comment(client.http, *parse_target("gitlab:group/project#3"), endpoint(server),
                             kMarker, "x\n");
  REQUIRE(posted.has_value());
  auto seen = server.requests("/projects/group/project/issues/3/notes");
  REQUIRE(seen.size() == 2);
  CHECK(seen[1].target == "/projects/group%2Fproject/issues/3/notes");
}

TEST_CASE("the comment is found again on a later page", "[forge]") {
  struct Case {
    Forge forge;
    std::string collection;
  };
  for (const Case& c : {Case{Forge::github, kGithubComments}, Case{Forge::gitlab, kGitlabNotes}}) {
    INFO(forge_name(c.forge));
    LoopbackServer server;
    FakeThread thread;
    thread.add("first");
    // Someone quoting the marker is not the comment: it is not the first line.
    thread.add("> " + kMarker + "\nwhy?");
    thread.add(kMarker + "\nold report\n");
    thread.add("later");
    c.forge == Forge::github ? serve_github(server, thread) : serve_gitlab(server, thread);
    Client client;
    const Target target = c.forge == Forge::github ? github_target() : gitlab_target();

    auto posted = post_comment(client.http, target, endpoint(server), kMarker, "new report\n");
    REQUIRE(posted.has_value());
    CHECK(posted->action == PostAction::updated);
    CHECK(posted->id == 9003);
    std::vector<Comment> comments = thread.all();
    REQUIRE(comments.size() == 4);
    CHECK(comments[2].body == kMarker + "\nnew report\n");
    CHECK(comments[1].body == "> " + kMarker + "\nwhy?");

    auto pages = server.requests(c.collection);
    REQUIRE(pages.size() == 2);
    CHECK(pages[0].method == "GET");
    CHECK(pages[1].method == "GET");
    CHECK(pages[1].target.ends_with("?per_page=100&page=2"));
  }
}

TEST_CASE("a secondary rate limit's 403 is waited out as Retry-After asks", "[forge][retry]") {
  LoopbackServer server;
  FakeThread thread;
  const std::string next_base = server.url(kGithubComments);
  server.route(kGithubComments, [&thread, next_base](const ReceivedRequest& r, int count) {
    if (r.method == "POST" && thread.all().empty() && count == 2) {
      return make_reply(403,
                        R"({"message":"You have exceeded a secondary rate limit. Please wait a )"
                        R"(few minutes before you try again."})",
                        "application/json", {{"Retry-After", "37"}});
    }
    return thread.collection(r, Forge::github, next_base);
  });
  Client client;
  auto posted = post_comment(client.http, github_target(), endpoint(server), kMarker, "r\n");
  REQUIRE(posted.has_value());
  CHECK(posted->action == PostAction::created);
  CHECK(client.waits == std::vector<milliseconds>{seconds(37)});
  CHECK(thread.all().size() == 1);
  auto seen = server.requests(kGithubComments);
  REQUIRE(seen.size() == 3);
  CHECK(seen[1].method == "POST");
  CHECK(seen[2].method == "POST");
  CHECK(seen[2].body == seen[1].body);
}

TEST_CASE("a spent rate limit waits until x-ratelimit-reset", "[forge][retry]") {
  LoopbackServer server;
  FakeThread thread;
  Client client;
  const auto reset = client.clock.now() + seconds(20);
  server.route(kGithubComments, [&thread, reset](const ReceivedRequest& r, int count) {
    if (count == 1) {
      return make_reply(403, R"({"message":"API rate limit exceeded"})", "application/json",
                        {{"x-ratelimit-remaining", "0"},
                         {"x-ratelimit-reset", std::to_string(reset.time_since_epoch().count())}});
    }
    return thread.collection(r, Forge::github, "");
  });
  auto posted = post_comment(client.http, github_target(), endpoint(server), kMarker, "r\n");
  REQUIRE(posted.has_value());
  CHECK(client.waits == std::vector<milliseconds>{seconds(20)});
}

TEST_CASE("a 5xx is retried after a back-off", "[forge][retry]") {
  LoopbackServer server;
  FakeThread thread;
  serve_gitlab(server, thread);
  server.route(kGitlabNotes, [&thread](const ReceivedRequest& r, int count) {
    if (count == 1) return make_reply(502, "<html>Bad Gateway</html>", "text/html");
    return thread.collection(r, Forge::gitlab, "");
  });
  Client client;
  auto posted = post_comment(client.http, gitlab_target(), endpoint(server), kMarker, "r\n");
  REQUIRE(posted.has_value());
  CHECK(posted->action == PostAction::created);
  REQUIRE(client.waits.size() == 1);
  // The first retry waits half to all of the 1 s base.
  CHECK(client.waits[0] >= milliseconds(500));
  CHECK(client.waits[0] <= milliseconds(1000));
  CHECK(server.request_count(kGitlabNotes) == 3);
}

TEST_CASE("posting gives up after four attempts with a clear error", "[forge][retry]") {
  LoopbackServer server;
  server.route(kGithubComments, make_reply(503, R"({"message":"Service Unavailable"})",
                                           "application/json", {{"Retry-After", "600"}}));
  Client client;
  auto posted = post_comment(client.http, github_target(), endpoint(server), kMarker, "r\n");
  REQUIRE_FALSE(posted.has_value());
  CHECK(posted.error().kind == ErrorKind::infrastructure);
  CHECK(posted.error().message ==
        "cannot post the comment to github:octo/images#5: GET " + server.url(kGithubComments) +
            "?per_page=100: HTTP 503 (Service Unavailable) after 4 attempts");
  // Each wait is capped at a minute, however long the server asks for.
  CHECK(client.waits == std::vector<milliseconds>(3, seconds(60)));
  CHECK(server.request_count(kGithubComments) == 4);
}

TEST_CASE("the token never appears in an error", "[forge]") {
  LoopbackServer server;
  // A server that echoes what it was sent.
  server.route(kGithubComments, make_reply(401,
                                           json{{"message", "Bad credentials: Bearer " + kToken},
                                                {"documentation_url", "https://docs.example"}}
                                               .dump(),
                                           "application/json"));
  Client client;
  auto posted = post_comment(client.http, github_target(), endpoint(server), kMarker, "r\n");
  REQUIRE_FALSE(posted.has_value());
  CHECK(posted.error().message == "cannot post the comment to github:octo/images#5: GET " +
                                      server.url(kGithubComments) +
                                      "?per_page=100: HTTP 401 (Bad credentials: Bearer ***)");
  CHECK(posted.error().message.find(kToken) == std::string::npos);
  CHECK(client.waits.empty());

  // Nor when the server cannot be reached at all.
  Endpoint gone = endpoint(server);
  {
    LoopbackServer closed;
    gone.api_base = closed.url("");
  }
  auto unreachable = post_comment(client.http, github_target(), gone, kMarker, "r\n");
  REQUIRE_FALSE(unreachable.has_value());
  CHECK(unreachable.error().message.starts_with(
      "cannot post the comment to github:octo/images#5: cannot fetch " + gone.api_base +
      kGithubComments + "?per_page=100: couldn't connect to server"));
  CHECK(unreachable.error().message.find(kToken) == std::string::npos);
}

TEST_CASE("a next page on another server does not get the token", "[forge]") {
  LoopbackServer server;
  server.route(kGithubComments,
               make_reply(200, "[]", "application/json",
                          {{"Link", "<https://elsewhere.example/steal?page=2>; rel=\"next\""}}));
  Client client;
  auto posted = post_comment(client.http, github_target(), endpoint(server), kMarker, "r\n");
  REQUIRE_FALSE(posted.has_value());
  CHECK(posted.error().message ==
        "cannot post the comment to github:octo/images#5: the next page of comments is on "
        "another server (https://elsewhere.example/steal?page=2); not sending the token there");
  CHECK(server.request_count(kGithubComments) == 1);
}

TEST_CASE("an answer that is not a list of comments is an error", "[forge]") {
  LoopbackServer server;
  server.route(kGithubComments, make_reply(200, "<html>proxy login</html>", "text/html"));
  Client client;
  auto posted = post_comment(client.http, github_target(), endpoint(server), kMarker, "r\n");
  REQUIRE_FALSE(posted.has_value());
  CHECK(posted.error().message == "cannot post the comment to github:octo/images#5: GET " +
                                      server.url(kGithubComments) +
                                      "?per_page=100: the answer is not a list of comments");
}

TEST_CASE("a report longer than GitHub takes is cut at a line", "[forge]") {
  LoopbackServer server;
  FakeThread thread;
  serve_github(server, thread);
  Client client;
  std::string markdown;
  while (markdown.size() < 70000) markdown += "| npm | left-pad | 1.0.0 | 1.0.1 | shipped |\n";
  auto posted = post_comment(client.http, github_target(), endpoint(server), kMarker, markdown);
  REQUIRE(posted.has_value());
  const std::string body = thread.all().at(0).body;
  CHECK(body.size() <= 65536);
  CHECK(body.starts_with(kMarker + "\n| npm | left-pad |"));
  CHECK(body.ends_with(
      "| shipped |\n\n*The report was cut here to fit the comment; the job's output has all "
      "of it.*\n"));
}

TEST_CASE("the endpoint comes from the environment", "[forge]") {
  struct Case {
    std::string target;
    std::map<std::string, std::string> env;
    std::string base;  // empty: an error is expected
    std::string error;
  };
  const Case cases[] = {
      {"github:o/r#1", {{"GITHUB_TOKEN", "t"}}, "https://api.github.com", ""},
      {"github:o/r#1",
       {{"GITHUB_TOKEN", "t"}, {"GITHUB_API_URL", "https://ghe.example/api/v3/"}},
       "https://ghe.example/api/v3",
       ""},
      {"gitlab:g/p!1", {{"GITLAB_TOKEN", "t"}}, "https://gitlab.com/api/v4", ""},
      {"gitlab:g/p!1",
       {{"GITLAB_TOKEN", "t"}, {"CI_API_V4_URL", "http://gitlab.internal/api/v4"}},
       "http://gitlab.internal/api/v4",
       ""},
      {"github:o/r#1",
       {{"GITLAB_TOKEN", "t"}},
       "",
       "--comment github:o/r#1: GITHUB_TOKEN is not set (a token that may write the "
       "repository's issues and pull requests)"},
      {"gitlab:g/p!1",
       {{"GITLAB_TOKEN", ""}},
       "",
       "--comment gitlab:g/p!1: GITLAB_TOKEN is not set (a token that may use the API; "
       "GitLab CI's job token cannot post notes)"},
      {"github:o/r#1",
       {{"GITHUB_TOKEN", "t"}, {"GITHUB_API_URL", "ftp://ghe.example"}},
       "",
       "--comment github:o/r#1: GITHUB_API_URL 'ftp://ghe.example' is not an http or https URL"},
  };
  for (const Case& c : cases) {
    INFO(c.target);
    Environment env = [&c](std::string_view name) -> std::optional<std::string> {
      auto found = c.env.find(std::string(name));
      if (found == c.env.end()) return std::nullopt;
      return found->second;
    };
    auto got = endpoint_for(*parse_target(c.target), env);
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

TEST_CASE("the marker names the image and the command", "[forge]") {
  CHECK(comment_marker("ci-base", "check") ==
        "<!-- driftlock:comment image=ci-base command=check -->");
}
