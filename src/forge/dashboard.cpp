#include "forge/dashboard.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "net/http_text.hpp"

namespace driftlock::forge {
namespace {

using Method = net::Request::Method;
using json = nlohmann::json;

constexpr std::string_view kCutNote =
    "\n\n*The dashboard was cut here to fit the issue; `driftlock report` and `driftlock "
    "history` show all of it.*\n";

// The fields of an issue that differ between the forges.
struct Shape {
  std::string issues_url;  // list (open ones) and create; an issue is issues_url/N
  Method update_method = Method::patch;
  std::string_view number_key;  // "number" / "iid"
  std::string_view body_key;    // "body" / "description"
  std::string_view url_key;     // "html_url" / "web_url"
  std::string_view open_state;  // the list's state filter
};

Shape shape_for(const RepoTarget& target, const Endpoint& endpoint) {
  if (target.forge == Forge::github) {
    // OWNER/REPO are validated names: their slash is the API's.
    return Shape{fmt::format("{}/repos/{}/issues", endpoint.api_base, target.project),
                 Method::patch,
                 "number",
                 "body",
                 "html_url",
                 "open"};
  }
  // GitLab takes a project's path as its id with every slash encoded.
  return Shape{
      fmt::format("{}/projects/{}/issues", endpoint.api_base, net::percent_encode(target.project)),
      Method::put,
      "iid",
      "description",
      "web_url",
      "opened"};
}

struct Found {
  std::uint64_t number = 0;
  std::string title;
  std::string body;
  std::string url;
};

std::string string_field(const json& item, std::string_view key) {
  auto found = item.find(key);
  return found != item.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::optional<std::uint64_t> number_field(const json& item, std::string_view key) {
  auto found = item.find(key);
  if (found == item.end() || !found->is_number_unsigned()) return std::nullopt;
  return found->get<std::uint64_t>();
}

class Dashboard {
 public:
  Dashboard(net::HttpClient& http, const RepoTarget& target, const Endpoint& endpoint)
      : m_api(http, target.forge, endpoint,
              fmt::format("cannot update the dashboard issue on {}", to_string(target))),
        m_forge(target.forge),
        m_shape(shape_for(target, endpoint)) {}

  Result<DashboardIssue> update(std::string_view marker, std::string_view title,
                                std::string_view markdown) {
    const std::string body = marked_text(marker, markdown, max_body(m_forge), kCutNote);
    auto found = find(marker);
    if (!found) return std::unexpected(std::move(found.error()));
    if (*found && (*found)->title == title && (*found)->body == body) {
      return DashboardIssue{PostAction::unchanged, (*found)->number, (*found)->url};
    }
    const json sent{{"title", title}, {std::string(m_shape.body_key), body}};
    if (*found) {
      auto answer = m_api.send(m_api.request(
          m_shape.update_method, fmt::format("{}/{}", m_shape.issues_url, (*found)->number),
          json_text(sent)));
      if (!answer) return std::unexpected(std::move(answer.error()));
      std::string url = issue_url(answer->body);
      return DashboardIssue{PostAction::updated, (*found)->number,
                            url.empty() ? (*found)->url : std::move(url)};
    }
    auto answer = m_api.send(m_api.request(Method::post, m_shape.issues_url, json_text(sent)));
    if (!answer) return std::unexpected(std::move(answer.error()));
    json created = json::parse(answer->body, nullptr, false);
    DashboardIssue issue{PostAction::created, 0, {}};
    if (created.is_object()) {
      issue.number = number_field(created, m_shape.number_key).value_or(0);
      issue.url = string_field(created, m_shape.url_key);
    }
    return issue;
  }

 private:
  // The first open issue (of any page) whose body's first line is the marker.
  Result<std::optional<Found>> find(std::string_view marker) {
    std::optional<Found> result;
    auto found = m_api.find_in_list(
        fmt::format("{}?state={}&per_page=100", m_shape.issues_url, m_shape.open_state),
        "open issues", "the repository", [&](const json& item) {
          if (!item.is_object()) return false;
          // GitHub lists pull requests as issues; a pull request's
          // description is never the dashboard, even when it quotes the marker.
          if (m_forge == Forge::github && item.contains("pull_request")) return false;
          auto number = number_field(item, m_shape.number_key);
          auto body = item.find(m_shape.body_key);
          if (!number || body == item.end() || !body->is_string()) return false;
          if (!starts_with_marker(body->get_ref<const std::string&>(), marker)) return false;
          result = Found{*number, string_field(item, "title"), body->get<std::string>(),
                         string_field(item, m_shape.url_key)};
          return true;
        });
    if (!found) return std::unexpected(std::move(found.error()));
    return result;
  }

  std::string issue_url(std::string_view answer) const {
    json doc = json::parse(answer, nullptr, false);
    return doc.is_object() ? string_field(doc, m_shape.url_key) : std::string();
  }

  ForgeApi m_api;
  Forge m_forge;
  Shape m_shape;
};

}  // namespace

std::string dashboard_marker(std::string_view image) {
  return fmt::format("<!-- driftlock:dashboard image={} -->", image);
}

Result<DashboardIssue> update_dashboard(net::HttpClient& http, const RepoTarget& target,
                                        const Endpoint& endpoint, std::string_view marker,
                                        std::string_view title, std::string_view markdown) {
  Dashboard dashboard(http, target, endpoint);
  return dashboard.update(marker, title, markdown);
}

}  // namespace driftlock::forge
