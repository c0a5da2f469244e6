#include "net/fake_http_client.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "net/http_text.hpp"

namespace driftlock::net {

Response make_response(long status, std::string body, Headers headers) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  for (auto& [name, value] : headers) name = lower_ascii(name);
  response.headers = std::move(headers);
  return response;
}

void FakeHttpClient::add(std::string url, Response response) {
  std::lock_guard lock(m_mutex);
  m_entries.insert_or_assign(std::move(url), Entry(std::move(response)));
}

void FakeHttpClient::add(std::string url, Error error) {
  std::lock_guard lock(m_mutex);
  m_entries.insert_or_assign(std::move(url), Entry(std::move(error)));
}

void FakeHttpClient::add(std::string url, Handler handler) {
  std::lock_guard lock(m_mutex);
  m_entries.insert_or_assign(std::move(url), Entry(std::move(handler)));
}

void FakeHttpClient::set_fallback(Handler handler) {
  std::lock_guard lock(m_mutex);
  m_fallback = std::move(handler);
}

std::vector<Result<Response>> FakeHttpClient::perform(std::span<const Request> requests) {
  std::vector<Result<Response>> results;
  results.reserve(requests.size());
  std::lock_guard lock(m_mutex);
  ++m_batches;
  for (const Request& request : requests) {
    m_requests.push_back(request);
    results.push_back(answer(request));
  }
  return results;
}

Result<Response> FakeHttpClient::answer(const Request& request) const {
  Result<Response> result;
  auto found = m_entries.find(request.url);
  if (found == m_entries.end()) {
    if (!m_fallback) {
      return fail(ErrorKind::infrastructure,
                  fmt::format("FakeHttpClient: nothing registered for {}", request.url));
    }
    result = m_fallback(request);
  } else if (const auto* response = std::get_if<Response>(&found->second)) {
    result = *response;
  } else if (const auto* error = std::get_if<Error>(&found->second)) {
    result = std::unexpected(*error);
  } else {
    result = std::get<Handler>(found->second)(request);
  }
  if (result && result->effective_url.empty()) result->effective_url = request.url;
  return result;
}

std::vector<Request> FakeHttpClient::requests() const {
  std::lock_guard lock(m_mutex);
  return m_requests;
}

std::size_t FakeHttpClient::count(std::string_view url) const {
  std::lock_guard lock(m_mutex);
  return static_cast<std::size_t>(std::count_if(m_requests.begin(), m_requests.end(),
                                                [&](const Request& r) { return r.url == url; }));
}

std::size_t FakeHttpClient::batches() const {
  std::lock_guard lock(m_mutex);
  return m_batches;
}

}  // namespace driftlock::net
