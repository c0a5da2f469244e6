// Posting a report as one comment on an issue, pull request or merge request,
// and updating that same comment on later runs rather than adding another.
#pragma once

#include <cstdint>
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

}  // namespace driftlock::forge
