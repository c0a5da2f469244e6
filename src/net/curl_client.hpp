// HttpClient on libcurl's multi interface: one thread drives many transfers,
// and the multi handle's connection and DNS caches outlive each perform() call
// so a datasource's follow-up requests reuse warm connections.
#pragma once

#include <memory>

#include "core/time.hpp"
#include "net/http_client.hpp"

namespace driftlock::net {

class CurlHttpClient final : public HttpClient {
 public:
  // `clock` (optional; the system clock otherwise) dates Retry-After HTTP-dates;
  // it must outlive the client.
  explicit CurlHttpClient(HttpOptions options = {}, const Clock* clock = nullptr);
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  // Calls from several threads are serialised: one multi handle, one driver.
  std::vector<Result<Response>> perform(std::span<const Request> requests) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace driftlock::net
