// A loopback forge for tests: one thread's comments as GitHub's issue comment
// API or GitLab's notes API keep them, and one repository's issues as their
// issues APIs keep them, served a few per page.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <mutex>
#include <optional>
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

struct Issue {
  std::uint64_t number;  // GitHub's number, GitLab's iid
  std::string title;
  std::string body;           // GitHub's body, GitLab's description
  bool pull_request = false;  // GitHub lists pull requests among issues
  bool open = true;
};

// One repository's issues (GitHub) or project's issues (GitLab), open ones
// listed `page_size` at a time, newest first as both forges do by default:
// GitHub-style with Link headers, GitLab-style with X-Next-Page and Link.
struct FakeIssues {
  std::mutex mutex;
  std::vector<Issue> issues;
  std::uint64_t next_number = 40;
  std::size_t page_size = 2;
  std::string web_base;  // the issues' pages: web_base + "/N"

  std::uint64_t add(std::string title, std::string body, bool pull_request = false,
                    bool open = true) {
    std::lock_guard lock(mutex);
    issues.push_back({next_number, std::move(title), std::move(body), pull_request, open});
    return next_number++;
  }

  std::vector<Issue> all() {
    std::lock_guard lock(mutex);
    return issues;
  }

  std::optional<Issue> find(std::uint64_t number) {
    std::lock_guard lock(mutex);
    for (const Issue& issue : issues) {
      if (issue.number == number) return issue;
    }
    return std::nullopt;
  }

  nlohmann::json item(const Issue& issue, forge::Forge kind) const {
    const std::string url = web_base + "/" + std::to_string(issue.number);
    if (kind == forge::Forge::github) {
      nlohmann::json j{{"id", 7000000 + issue.number},
                       {"number", issue.number},
                       {"title", issue.title},
                       {"body", issue.body},
                       {"state", issue.open ? "open" : "closed"},
                       {"html_url", url}};
      if (issue.pull_request) j["pull_request"] = {{"url", url}};
      return j;
    }
    return {{"id", 7000000 + issue.number},
            {"iid", issue.number},
            {"title", issue.title},
            {"description", issue.body},
            {"state", issue.open ? "opened" : "closed"},
            {"web_url", url}};
  }

  // GET (a page of open issues) or POST (a new issue) on the collection.
  Reply collection(const ReceivedRequest& request, forge::Forge kind,
                   const std::string& next_base) {
    std::lock_guard lock(mutex);
    const char* body_key = kind == forge::Forge::github ? "body" : "description";
    if (request.method == "POST") {
      nlohmann::json sent = nlohmann::json::parse(request.body);
      issues.push_back({next_number++, sent.at("title").get<std::string>(),
                        sent.at(body_key).get<std::string>(), false, true});
      return make_reply(201, item(issues.back(), kind).dump(), "application/json");
    }
    std::size_t page = 1;
    if (auto at = request.target.find("&page="); at != std::string::npos) {
      page = std::stoul(request.target.substr(at + 6));
    }
    std::vector<const Issue*> open;
    for (auto it = issues.rbegin(); it != issues.rend(); ++it) {
      if (it->open && (kind == forge::Forge::github || !it->pull_request)) open.push_back(&*it);
    }
    nlohmann::json items = nlohmann::json::array();
    for (std::size_t i = (page - 1) * page_size; i < open.size() && i < page * page_size; ++i) {
      items.push_back(item(*open[i], kind));
    }
    Reply reply = make_reply(200, items.dump(), "application/json");
    const bool more = page * page_size < open.size();
    const std::string state = kind == forge::Forge::github ? "open" : "opened";
    if (more && kind == forge::Forge::github) {
      reply.headers.emplace_back("Link", "<" + next_base + "?state=" + state +
                                             "&per_page=100&page=" + std::to_string(page + 1) +
                                             ">; rel=\"next\"");
    }
    if (kind == forge::Forge::gitlab) {
      reply.headers.emplace_back("X-Next-Page", more ? std::to_string(page + 1) : "");
    }
    return reply;
  }

  // PATCH (GitHub) or PUT (GitLab) of one issue, its number last in the path.
  Reply edit(const ReceivedRequest& request, forge::Forge kind) {
    std::lock_guard lock(mutex);
    const std::uint64_t number = std::stoull(request.path.substr(request.path.rfind('/') + 1));
    const char* body_key = kind == forge::Forge::github ? "body" : "description";
    for (Issue& issue : issues) {
      if (issue.number != number) continue;
      nlohmann::json sent = nlohmann::json::parse(request.body);
      if (sent.contains("title")) issue.title = sent.at("title").get<std::string>();
      if (sent.contains(body_key)) issue.body = sent.at(body_key).get<std::string>();
      return make_reply(200, item(issue, kind).dump(), "application/json");
    }
    return make_reply(404, R"({"message":"Not Found"})", "application/json");
  }
};

inline const std::string kGithubIssues = "/repos/octo/images/issues";
inline const std::string kGitlabIssues = "/projects/infra/ci/images/issues";
inline const std::string kGitlabIssuesTarget = "/projects/infra%2Fci%2Fimages/issues";

inline void serve_github_issues(LoopbackServer& server, FakeIssues& issues) {
  const std::string next_base = server.url(kGithubIssues);
  issues.web_base = "https://github.example/octo/images/issues";
  server.route(kGithubIssues, [&issues, next_base](const ReceivedRequest& r, int) {
    return issues.collection(r, forge::Forge::github, next_base);
  });
  server.route_prefix(kGithubIssues + "/", [&issues](const ReceivedRequest& r, int) {
    return issues.edit(r, forge::Forge::github);
  });
}

inline void serve_gitlab_issues(LoopbackServer& server, FakeIssues& issues) {
  // The server sees the path decoded; `target` keeps what was sent.
  issues.web_base = "https://gitlab.example/infra/ci/images/-/issues";
  server.route(kGitlabIssues, [&issues](const ReceivedRequest& r, int) {
    return issues.collection(r, forge::Forge::gitlab, "");
  });
  server.route_prefix(kGitlabIssues + "/", [&issues](const ReceivedRequest& r, int) {
    return issues.edit(r, forge::Forge::gitlab);
  });
}

}  // namespace driftlock::testing
