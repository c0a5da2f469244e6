// The drift dashboard: one open issue per image in a repository, found again
// by a hidden marker and edited in place on later runs, never a new one each
// night.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "forge/comment.hpp"
#include "forge/target.hpp"
#include "net/http_client.hpp"

namespace driftlock::forge {

// The hidden first line of the issue's body that finds it again:
// "<!-- driftlock:dashboard image=IMAGE -->".
std::string dashboard_marker(std::string_view image);

struct DashboardIssue {
  PostAction action = PostAction::created;
  std::uint64_t number = 0;  // the issue's number (GitHub) or iid (GitLab)
  std::string url;           // the issue's page, as the forge gives it ("" when it gives none)
};

// Keeps the dashboard issue up to date: the open issue whose body's first line
// is `marker` (looked for on every page of open issues; GitHub's pull
// requests are skipped) gets `title` and a body of the marker line and
// `markdown`, edited in place only when either differs; with none, the issue
// is opened. A body longer than the forge takes is cut at a line with a note.
// Retries are the client's (forge_http_options). Errors (infrastructure) name
// the repository, the request and the answer, never the token.
Result<DashboardIssue> update_dashboard(net::HttpClient& http, const RepoTarget& target,
                                        const Endpoint& endpoint, std::string_view marker,
                                        std::string_view title, std::string_view markdown);

}  // namespace driftlock::forge
