#include "forge/comment.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "core/text.hpp"
#include "net/http_text.hpp"
#include "net/redact.hpp"
#include "net/url.hpp"

namespace driftlock::forge {
namespace {

using Method = net::Request::Method;
using json = nlohmann::json;

// A page holds at most 100 items: 100 pages is a thread (or a backlog of
// open issues) nobody reads, and a bound on a server that keeps answering
// "next".
constexpr std::size_t kPerPage = 100;
constexpr std::size_t kMaxPages = 100;

// What each forge takes in one comment (GitHub counts characters, so bytes
// are on the safe side).
constexpr std::size_t kGithubMaxBody = 65536;
constexpr std::size_t kGitlabMaxBody = 1000000;

constexpr std::string_view kCommentCutNote =
    "\n\n*The report was cut here to fit the comment; the job's output has all of it.*\n";

// The API calls for one thread: list and create at `comments_url`, update at
// `update_prefix` + id.
struct Thread {
  std::string comments_url;
  std::string update_prefix;
  Method update_method = Method::patch;
};

Thread thread_for(const Target& target, const Endpoint& endpoint) {
  Thread thread;
  if (target.forge == Forge::github) {
    // OWNER/REPO are validated names: their slash is the API's.
    const std::string repo = fmt::format("{}/repos/{}", endpoint.api_base, target.project);
    thread.comments_url = fmt::format("{}/issues/{}/comments", repo, target.number);
    thread.update_prefix = fmt::format("{}/issues/comments/", repo);
    thread.update_method = Method::patch;
  } else {
    // GitLab takes a project's path as its id with every slash encoded.
    thread.comments_url = fmt::format(
        "{}/projects/{}/{}/{}/notes", endpoint.api_base, net::percent_encode(target.project),
        target.kind == ThreadKind::merge_request ? "merge_requests" : "issues", target.number);
    thread.update_prefix = thread.comments_url + "/";
    thread.update_method = Method::put;
  }
  return thread;
}

// A server may echo what it was sent: the token is masked wherever it appears.
std::string without_token(std::string text, std::string_view token) {
  if (token.empty()) return text;
  for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at)) {
    text.replace(at, token.size(), "***");
  }
  return text;
}

// The API's own explanation ("Bad credentials"), shortened and escaped (the
// token masked first, so no part of it survives the shortening).
std::string api_message(std::string_view body, std::string_view token) {
  json doc = json::parse(body, nullptr, false);
  if (!doc.is_object()) return {};
  for (const char* key : {"message", "error"}) {
    auto found = doc.find(key);
    if (found == doc.end()) continue;
    std::string text = found->is_string()
                           ? found->get<std::string>()
                           : found->dump(-1, ' ', false, json::error_handler_t::replace);
    return escape_for_message(without_token(std::move(text), token), 200);
  }
  return {};
}

std::string describe_status(const net::Request& request, const net::Response& response,
                            std::string_view token) {
  std::string message = fmt::format("{} {}: HTTP {}", net::method_name(request.method),
                                    net::redact_url(request.url), response.status);
  if (std::string detail = api_message(response.body, token); !detail.empty()) {
    message += fmt::format(" ({})", detail);
  }
  if (response.attempts > 1) message += fmt::format(" after {} attempts", response.attempts);
  return message;
}

struct Found {
  std::uint64_t id = 0;
  std::string body;
};

class Poster {
 public:
  Poster(net::HttpClient& http, const Target& target, const Endpoint& endpoint)
      : m_api(http, target.forge, endpoint,
              fmt::format("cannot post the comment to {}", to_string(target))),
        m_thread(thread_for(target, endpoint)),
        m_max_body(max_body(target.forge)) {}

  Result<Posted> post(std::string_view marker, std::string_view markdown) {
    const std::string text = marked_text(marker, markdown, m_max_body, kCommentCutNote);
    auto found = find(marker);
    if (!found) return std::unexpected(std::move(found.error()));
    if (*found && (*found)->body == text) return Posted{PostAction::unchanged, (*found)->id};
    if (*found) {
      const std::uint64_t id = (*found)->id;
      auto sent = m_api.send(m_api.request(m_thread.update_method,
                                           fmt::format("{}{}", m_thread.update_prefix, id),
                                           json_text(json{{"body", text}})));
      if (!sent) return std::unexpected(std::move(sent.error()));
      return Posted{PostAction::updated, id};
    }
    auto sent = m_api.send(
        m_api.request(Method::post, m_thread.comments_url, json_text(json{{"body", text}})));
    if (!sent) return std::unexpected(std::move(sent.error()));
    json created = json::parse(sent->body, nullptr, false);
    std::uint64_t id = 0;
    if (created.is_object() && created.contains("id") && created["id"].is_number_unsigned()) {
      id = created["id"].get<std::uint64_t>();
    }
    return Posted{PostAction::created, id};
  }

 private:
  // The first comment (of any page) whose first line is the marker.
  Result<std::optional<Found>> find(std::string_view marker) {
    std::optional<Found> result;
    auto found = m_api.find_in_list(
        fmt::format("{}?per_page={}", m_thread.comments_url, kPerPage), "comments", "the thread",
        [&](const json& item) {
          if (!item.is_object()) return false;
          // GitLab's system notes ("changed the description") are never ours.
          if (auto system = item.find("system");
              system != item.end() && system->is_boolean() && system->get<bool>()) {
            return false;
          }
          auto id = item.find("id");
          auto body = item.find("body");
          if (id == item.end() || !id->is_number_unsigned() || body == item.end() ||
              !body->is_string()) {
            return false;
          }
          if (!starts_with_marker(body->get_ref<const std::string&>(), marker)) return false;
          result = Found{id->get<std::uint64_t>(), body->get<std::string>()};
          return true;
        });
    if (!found) return std::unexpected(std::move(found.error()));
    return result;
  }

  ForgeApi m_api;
  Thread m_thread;
  std::size_t m_max_body;
};

}  // namespace

namespace {

// `flag` names the option and its value in errors ("--comment github:o/r#1");
// `token_use` says what the token must be allowed to do.
Result<Endpoint> endpoint_from(Forge forge, std::string_view flag, std::string_view token_use,
                               const Environment& env) {
  const bool github = forge == Forge::github;
  const std::string_view token_name = github ? "GITHUB_TOKEN" : "GITLAB_TOKEN";
  const std::string_view api_name = github ? "GITHUB_API_URL" : "CI_API_V4_URL";
  Endpoint endpoint;
  if (auto token = env(token_name); token && !token->empty()) endpoint.token = *token;
  if (endpoint.token.empty()) {
    return fail(ErrorKind::usage, fmt::format("{}: {} is not set (a token that may {})", flag,
                                              token_name, token_use));
  }
  auto base = env(api_name);
  endpoint.api_base = without_trailing_slashes(
      base && !base->empty()
          ? *base
          : std::string(github ? "https://api.github.com" : "https://gitlab.com/api/v4"));
  const std::string scheme = net::scheme_of(endpoint.api_base);
  if (scheme != "http" && scheme != "https") {
    return fail(ErrorKind::usage,
                fmt::format("{}: {} '{}' is not an http or https URL", flag, api_name,
                            escape_for_message(net::redact_url(endpoint.api_base))));
  }
  return endpoint;
}

}  // namespace

Result<Endpoint> endpoint_for(const Target& target, const Environment& env) {
  return endpoint_from(target.forge, fmt::format("--comment {}", to_string(target)),
                       target.forge == Forge::github
                           ? "write the repository's issues and pull requests"
                           : "use the API; GitLab CI's job token cannot post notes",
                       env);
}

Result<Endpoint> endpoint_for(const RepoTarget& target, const Environment& env) {
  return endpoint_from(target.forge, fmt::format("--dashboard {}", to_string(target)),
                       target.forge == Forge::github
                           ? "write the repository's issues"
                           : "use the API; GitLab CI's job token cannot create issues",
                       env);
}

std::string comment_marker(std::string_view image, std::string_view command) {
  return fmt::format("<!-- driftlock:comment image={} command={} -->", image, command);
}

Result<Posted> post_comment(net::HttpClient& http, const Target& target, const Endpoint& endpoint,
                            std::string_view marker, std::string_view markdown) {
  Poster poster(http, target, endpoint);
  return poster.post(marker, markdown);
}

net::HttpOptions forge_http_options() {
  net::HttpOptions options;
  options.max_retries = 3;
  options.max_backoff = std::chrono::seconds(60);
  options.backoff_base = std::chrono::seconds(1);
  options.retry_statuses = {429, 500, 502, 503, 504};
  options.max_in_flight = 1;
  return options;
}

ForgeApi::ForgeApi(net::HttpClient& http, Forge forge, const Endpoint& endpoint, std::string doing)
    : m_http(http), m_forge(forge), m_endpoint(endpoint), m_doing(std::move(doing)) {}

net::Request ForgeApi::request(Method method, std::string url, std::string body) const {
  net::Request r;
  r.url = std::move(url);
  r.method = method;
  if (m_forge == Forge::github) {
    r.headers = {{"Authorization", "Bearer " + m_endpoint.token},
                 {"Accept", "application/vnd.github+json"},
                 {"X-GitHub-Api-Version", "2022-11-28"}};
  } else {
    r.headers = {{"PRIVATE-TOKEN", m_endpoint.token}, {"Accept", "application/json"}};
  }
  if (method != Method::get) {
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = std::move(body);
  }
  return r;
}

Result<net::Response> ForgeApi::send(const net::Request& r) {
  auto response = m_http.fetch(r);
  if (!response) return std::unexpected(failure(response.error().message));
  if (!response->ok()) {
    return std::unexpected(failure(describe_status(r, *response, m_endpoint.token)));
  }
  return response;
}

Result<bool> ForgeApi::find_in_list(const std::string& first_url, std::string_view items,
                                    std::string_view holder,
                                    const std::function<bool(const json&)>& visit) {
  std::string url = first_url;
  std::set<std::string> seen;
  for (std::size_t page = 1;; ++page) {
    if (page > kMaxPages || !seen.insert(url).second) {
      return std::unexpected(
          failure(fmt::format("{} has more than {} pages of {}", holder, kMaxPages, items)));
    }
    auto response = send(request(Method::get, url));
    if (!response) return std::unexpected(std::move(response.error()));
    json doc = json::parse(response->body, nullptr, false);
    if (!doc.is_array()) {
      return std::unexpected(failure(
          fmt::format("GET {}: the answer is not a list of {}", net::redact_url(url), items)));
    }
    for (const json& item : doc) {
      if (visit(item)) return true;
    }
    auto next = next_page(*response, first_url, items);
    if (!next) return std::unexpected(std::move(next.error()));
    if (next->empty()) return false;
    url = std::move(*next);
  }
}

// The next page's URL, "" after the last: the Link header's rel="next"
// (GitHub; GitLab too), else GitLab's X-Next-Page.
Result<std::string> ForgeApi::next_page(const net::Response& response, const std::string& first_url,
                                        std::string_view items) const {
  std::string next;
  if (auto link = response.header("link")) {
    if (auto target = net::next_link(*link)) next = *target;
  }
  if (next.empty()) {
    if (auto page = response.header("x-next-page"); page && !page->empty()) {
      next = fmt::format("{}&page={}", first_url, net::percent_encode(*page));
    }
  }
  // The token goes wherever the next page is: only to the API it was meant for.
  if (!next.empty() && net::origin_of(next) != net::origin_of(m_endpoint.api_base)) {
    return std::unexpected(failure(
        fmt::format("the next page of {} is on another server ({}); not sending the token there",
                    items, net::redact_url(next))));
  }
  return next;
}

Error ForgeApi::failure(std::string detail) const {
  return Error{ErrorKind::infrastructure,
               without_token(fmt::format("{}: {}", m_doing, detail), m_endpoint.token),
               std::nullopt};
}

std::string json_text(const json& document) {
  return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::size_t max_body(Forge forge) {
  return forge == Forge::github ? kGithubMaxBody : kGitlabMaxBody;
}

std::string marked_text(std::string_view marker, std::string_view markdown, std::size_t limit,
                        std::string_view cut_note) {
  std::string text = fmt::format("{}\n{}", marker, markdown);
  if (text.size() <= limit) return text;
  std::size_t cut = text.rfind('\n', limit - cut_note.size());
  if (cut == std::string::npos || cut < marker.size()) cut = marker.size();
  text.resize(cut);
  text += cut_note;
  return text;
}

bool starts_with_marker(std::string_view body, std::string_view marker) {
  if (!body.starts_with(marker)) return false;
  return body.size() == marker.size() || body[marker.size()] == '\n' || body[marker.size()] == '\r';
}

}  // namespace driftlock::forge
