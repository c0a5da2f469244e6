// An HttpClient for unit tests of datasources: answers from a table of URLs
// and records every Request, so tests can assert headers such as Accept or
// If-None-Match without a network.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "net/http_client.hpp"

namespace driftlock::net {

// A Response with lower-cased header names and effective_url left empty
// (FakeHttpClient fills it in with the request's URL).
Response make_response(long status, std::string body, Headers headers = {});

class FakeHttpClient final : public HttpClient {
 public:
  using Handler = std::function<Result<Response>(const Request&)>;

  // Later registrations of the same URL replace earlier ones.
  void add(std::string url, Response response);
  void add(std::string url, Error error);
  void add(std::string url, Handler handler);

  // Answers URLs that have no entry. By default they are an infrastructure
  // Error "FakeHttpClient: nothing registered for URL", so a typo in a test
  // is loud rather than a quiet 404.
  void set_fallback(Handler handler);

  std::vector<Result<Response>> perform(std::span<const Request> requests) override;

  // Every request received, in order, across all perform() calls.
  std::vector<Request> requests() const;
  // How many requests asked for `url`.
  std::size_t count(std::string_view url) const;
  // How many perform() calls there were (datasources should batch).
  std::size_t batches() const;

 private:
  Result<Response> answer(const Request& request) const;

  using Entry = std::variant<Response, Error, Handler>;
  // Recursive: a Handler may ask the client what it has seen so far.
  mutable std::recursive_mutex m_mutex;
  std::map<std::string, Entry, std::less<>> m_entries;
  Handler m_fallback;
  std::vector<Request> m_requests;
  std::size_t m_batches = 0;
};

}  // namespace driftlock::net
