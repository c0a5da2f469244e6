// A loopback forge for tests: one thread's comments as GitHub's issue comment
// API or GitLab's notes API keep them, served a few per page.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "forge/target.hpp"
#include "support/loopback_server.hpp"

namespace driftlock::testing {

struct Comment {
  std::uint64_t id;
  std::string body;
};

// The comments of one thread as a forge keeps them, served `page_size` at a
// time: GitHub-style with Link headers, GitLab-style with X-Next-Page.
struct FakeThread {
  std::mutex mutex;
  std::vector<Comment> comments;
  std::uint64_t next_id = 9001;
  std::size_t page_size = 2;

  void add(std::string body) {
    std::lock_guard lock(mutex);
    comments.push_back({next_id++, std::move(body)});
  }

  std::vector<Comment> all() {
    std::lock_guard lock(mutex);
    return comments;
  }

  // GET (a page) or POST (a new comment) on the thread's comments.
  Reply collection(const ReceivedRequest& request, forge::Forge kind,
                   const std::string& next_base) {
    std::lock_guard lock(mutex);
    if (request.method == "POST") {
      nlohmann::json sent = nlohmann::json::parse(request.body);
      comments.push_back({next_id, sent.at("body").get<std::string>()});
      return make_reply(201,
                        nlohmann::json{{"id", next_id++}, {"body", comments.back().body}}.dump(),
                        "application/json");
    }
    std::size_t page = 1;
    if (auto at = request.target.find("&page="); at != std::string::npos) {
      page = std::stoul(request.target.substr(at + 6));
    }
    nlohmann::json items = nlohmann::json::array();
    for (std::size_t i = (page - 1) * page_size; i < comments.size() && i < page * page_size; ++i) {
      items.push_back({{"id", comments[i].id}, {"body", comments[i].body}});
      if (kind == forge::Forge::gitlab) items.back()["system"] = false;
    }
    Reply reply = make_reply(200, items.dump(), "application/json");
    const bool more = page * page_size < comments.size();
    if (kind == forge::Forge::github && more) {
      reply.headers.emplace_back(
          "Link", "<" + next_base + "?per_page=100&page=" + std::to_string(page + 1) +
                      ">; rel=\"next\", <" + next_base + "?per_page=100&page=99>; rel=\"last\"");
    }
    if (kind == forge::Forge::gitlab) {
      reply.headers.emplace_back("X-Next-Page", more ? std::to_string(page + 1) : "");
    }
    return reply;
  }

  // PATCH (GitHub) or PUT (GitLab) of one comment, its id last in the path.
  Reply item(const ReceivedRequest& request) {
    std::lock_guard lock(mutex);
    const std::uint64_t id = std::stoull(request.path.substr(request.path.rfind('/') + 1));
    for (Comment& c : comments) {
      if (c.id != id) continue;
      c.body = nlohmann::json::parse(request.body).at("body").get<std::string>();
      return make_reply(200, nlohmann::json{{"id", id}, {"body", c.body}}.dump(),
                        "application/json");
    }
    return make_reply(404, R"({"message":"Not Found"})", "application/json");
  }
};

inline const std::string kGithubComments = "/repos/octo/images/issues/5/comments";
inline const std::string kGitlabNotes = "/projects/infra/ci/images/merge_requests/7/notes";
inline const std::string kGitlabTarget = "/projects/infra%2Fci%2Fimages/merge_requests/7/notes";

inline void serve_github(LoopbackServer& server, FakeThread& thread) {
  const std::string next_base = server.url(kGithubComments);
  server.route(kGithubComments, [&thread, next_base](const ReceivedRequest& r, int) {
    return thread.collection(r, forge::Forge::github, next_base);
  });
  server.route_prefix("/repos/octo/images/issues/comments/",
                      [&thread](const ReceivedRequest& r, int) { return thread.item(r); });
}

inline void serve_gitlab(LoopbackServer& server, FakeThread& thread) {
  // The server sees the path decoded; `target` keeps what was sent.
  server.route(kGitlabNotes, [&thread](const ReceivedRequest& r, int) {
    return thread.collection(r, forge::Forge::gitlab, "");
  });
  server.route_prefix(kGitlabNotes + "/",
                      [&thread](const ReceivedRequest& r, int) { return thread.item(r); });
}

}  // namespace driftlock::testing
