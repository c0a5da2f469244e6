#include "net/http_client.hpp"

#include <array>

#include "net/http_text.hpp"

#ifndef DRIFTLOCK_VERSION
#define DRIFTLOCK_VERSION "0.0.0-dev"
#endif

namespace driftlock::net {

std::optional<std::string> Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (equals_ignore_case(key, name)) return value;
  }
  return std::nullopt;
}

std::string_view method_name(Request::Method method) {
  switch (method) {
    case Request::Method::get:
      return "GET";
    case Request::Method::head:
      return "HEAD";
    case Request::Method::post:
      return "POST";
    case Request::Method::patch:
      return "PATCH";
    case Request::Method::put:
      return "PUT";
  }
  return "GET";
}

std::string default_user_agent() {
  return "driftlock/" DRIFTLOCK_VERSION;
}

Result<Response> HttpClient::fetch(const Request& request) {
  std::array<Request, 1> one{request};
  std::vector<Result<Response>> results = perform(one);
  return std::move(results.front());
}

}  // namespace driftlock::net
