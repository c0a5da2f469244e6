#include "ecosystems/json_documents.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "core/text.hpp"
#include "net/http_text.hpp"
#include "net/redact.hpp"

namespace driftlock::ecosystems {

Result<void> expect_json(std::string_view subject, std::string_view body, std::string_view url,
                         const std::optional<std::string>& content_type) {
  const std::size_t first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (body[first] == '{' || body[first] == '[')) return {};
  return fail(ErrorKind::infrastructure,
              fmt::format("{}: the registry returned a non-JSON document from {} ({})", subject,
                          net::redact_url(url),
                          content_type ? "Content-Type: " + escape_for_message(*content_type)
                                       : std::string("no Content-Type")));
}

std::vector<Result<PackageReleases>> fetch_documents(
    net::HttpClient& http, std::span<const std::string> names,
    const std::function<std::string(std::string_view)>& url_of, std::string_view accept,
    std::string_view registry_url, std::string (*subject)(std::string_view), ParseDocument parse) {
  std::vector<net::Request> requests;
  requests.reserve(names.size());
  for (const std::string& name : names) {
    net::Request request;
    request.url = url_of(name);
    request.headers = {{"Accept", std::string(accept)}};
    requests.push_back(std::move(request));
  }
  std::vector<Result<net::Response>> responses = http.perform(requests);
  std::vector<std::optional<Result<PackageReleases>>> slots(names.size());

  auto answer = [&](std::size_t i) -> Result<PackageReleases> {
    const std::string& name = names[i];
    const std::string& url = requests[i].url;
    if (i >= responses.size()) {
      return fail(ErrorKind::infrastructure,
                  fmt::format("{}: no response for {}", subject(name), net::redact_url(url)));
    }
    Result<net::Response>& response = responses[i];
    if (!response) {
      return fail(response.error().kind,
                  fmt::format("{}: {}", subject(name), response.error().message));
    }
    if (response->status == 404) {
      return fail_input(
          fmt::format("{} not found at {}", subject(name), net::redact_url(registry_url)));
    }
    if (!response->ok()) {
      std::string message = fmt::format("{}: cannot fetch {}: HTTP {}", subject(name),
                                        net::redact_url(url), response->status);
      if (response->attempts > 1) {
        message += fmt::format(" (gave up after {} attempts)", response->attempts);
      }
      return fail(ErrorKind::infrastructure, std::move(message));
    }
    Result<PackageReleases> parsed =
        parse(name, response->body, url, response->header("content-type"));
    // The body is no longer needed: free it now, not when the batch ends.
    std::string().swap(response->body);
    return parsed;
  };

  // Each worker takes the next unanswered index until none is left.
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < names.size(); i = next++) slots[i] = answer(i);
  };
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t workers = std::min<std::size_t>({cores, 8, (names.size() + 15) / 16});
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
  for (std::thread& thread : threads) thread.join();

  std::vector<Result<PackageReleases>> results;
  results.reserve(names.size());
  for (auto& slot : slots) results.push_back(std::move(*slot));
  return results;
}

}  // namespace driftlock::ecosystems
