// Posting a report as one comment on an issue, pull request or merge request,
// and updating that same comment on later runs rather than adding another.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "core/environment.hpp"
#include "core/error.hpp"
#include "forge/target.hpp"
#include "net/http_client.hpp"

namespace driftlock::forge {

// Where the forge's API is and the token it takes.
struct Endpoint {
  std::string api_base;  // without a trailing slash
  std::string token;
};

// The token from GITHUB_TOKEN or GITLAB_TOKEN (required: a usage error when
// unset or empty), the API from GITHUB_API_URL or CI_API_V4_URL (what GitHub
// Actions and GitLab CI set), else https://api.github.com and
// https://gitlab.com/api/v4. Messages never contain the token.
Result<Endpoint> endpoint_for(const Target& target, const Environment& env);

// The same for the dashboard's repository (`--dashboard`): the same variables.
Result<Endpoint> endpoint_for(const RepoTarget& target, const Environment& env);

// The hidden first line that finds a comment again:
// "<!-- driftlock:comment image=IMAGE command=COMMAND -->".
std::string comment_marker(std::string_view image, std::string_view command);

enum class PostAction { created, updated, unchanged };

struct Posted {
  PostAction action = PostAction::created;
  std::uint64_t id = 0;  // the comment's (GitHub) or note's (GitLab) id
};

// Posts `markdown` under `marker` on the target's thread: the comment whose
// first line is `marker` (looked for on every page) is updated in place, or
// created when there is none. A report longer than the forge takes is cut at
// a line with a note saying so. Errors (infrastructure) name the target, the
// request and the answer, never the token.
Result<Posted> post_comment(net::HttpClient& http, const Target& target, const Endpoint& endpoint,
                            std::string_view marker, std::string_view markdown);

// The HTTP settings for forge APIs: 5xx and rate limits retried, at most 4
// attempts, at most 60 s of waiting before each.
net::HttpOptions forge_http_options();

// What the comment and the dashboard (forge/dashboard.cpp) share.

// The calls to one forge's API: its headers and token, errors that say what
// was being done and never contain the token, and lists read page by page.
class ForgeApi {
 public:
  // `doing` begins every error: "cannot post the comment to github:o/r#5".
  ForgeApi(net::HttpClient& http, Forge forge, const Endpoint& endpoint, std::string doing);

  // A request with the forge's headers; a body is JSON text.
  net::Request request(net::Request::Method method, std::string url, std::string body = {}) const;

  // A transport failure or an answer other than 2xx is an error naming the
  // request and the API's own explanation.
  Result<net::Response> send(const net::Request& request);

  // Reads the list at `first_url` (whose query sets per_page) page by page,
  // following the Link header's rel="next" or GitLab's X-Next-Page, and calls
  // `visit` on each element until it returns true; whether one did. `items`
  // and `holder` name the list in errors ("comments", "the thread").
  Result<bool> find_in_list(const std::string& first_url, std::string_view items,
                            std::string_view holder,
                            const std::function<bool(const nlohmann::json&)>& visit);

  // An infrastructure error "DOING: detail", the token masked.
  Error failure(std::string detail) const;

 private:
  Result<std::string> next_page(const net::Response& response, const std::string& first_url,
                                std::string_view items) const;

  net::HttpClient& m_http;
  Forge m_forge;
  const Endpoint& m_endpoint;
  std::string m_doing;
};

// JSON text for a request body; invalid UTF-8 (a registry's odd bytes) is
// replaced rather than costing the whole post.
std::string json_text(const nlohmann::json& document);

// The most a forge takes in one comment or issue body (bytes, on the safe
// side of GitHub's character count).
std::size_t max_body(Forge forge);

// The posted text: the marker line, then `markdown`, cut at a line with
// `cut_note` when longer than `limit`.
std::string marked_text(std::string_view marker, std::string_view markdown, std::size_t limit,
                        std::string_view cut_note);

// Whether `body`'s first line is `marker` (a quote of it elsewhere is not).
bool starts_with_marker(std::string_view body, std::string_view marker);

}  // namespace driftlock::forge
