// An in-process HTTP server on 127.0.0.1 (a random free port) for tests that
// need a real peer: routes answer with canned or computed Replies, and
// ready-made faults (slow, rate-limited, failing N times, truncated, redirect
// loops, ...) inject what registries do on a bad day. It counts requests per
// path, connections and the most requests handled at once.
//
// cpp-httplib stays inside loopback_server.cpp: it is slow to compile.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace driftlock::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "text/plain";
  HeaderList headers;                  // extra response headers
  std::chrono::milliseconds delay{0};  // waits this long before answering
  // Truncation: announce this Content-Length, send `body`, then close the
  // connection. Ignored when not larger than the body.
  std::optional<std::size_t> declared_length;
};

Reply make_reply(int status, std::string body, std::string content_type = "text/plain",
                 HeaderList headers = {});

struct ReceivedRequest {
  std::string method;
  std::string path;    // without the query
  HeaderList headers;  // names lower-cased
  int remote_port = 0;
  std::string target;  // as sent: path (still percent-encoded) and query
  std::string body;

  std::optional<std::string> header(std::string_view name) const;
};

// `count` is the 1-based number of this request among those to the same path.
using RouteHandler = std::function<Reply(const ReceivedRequest& request, int count)>;

class LoopbackServer {
 public:
  static constexpr int always = -1;  // for `times`: the fault never clears

  // `threads` bounds concurrent connections (each keep-alive connection holds one).
  explicit LoopbackServer(int threads = 32);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  int port() const;
  // "http://127.0.0.1:PORT" + path.
  std::string url(std::string_view path) const;

  // Exact paths win over prefixes; the longest prefix wins. Unrouted paths get 404.
  void route(std::string path, Reply reply);
  void route(std::string path, RouteHandler handler);
  void route_prefix(std::string prefix, RouteHandler handler);

  // Ready-made faults.
  void slow(std::string path, std::chrono::milliseconds delay, Reply reply = {});
  // 429 with `Retry-After: retry_after` for the first `times` requests, then `ok`.
  void rate_limited(std::string path, int times, std::string retry_after, Reply ok = {});
  // `status` (e.g. 500, 503) for the first `times` requests, then `ok`.
  void failing(std::string path, int status, int times, Reply ok = {});
  // The first `times` responses announce `declared_length` bytes but send
  // `partial` and close the connection; then `ok`.
  void truncated(std::string path, std::string partial, std::size_t declared_length, int times,
                 Reply ok = {});
  // 200 with a JSON body that stops mid-object.
  void malformed_json(std::string path);
  // 200 with a proxy's HTML error page where a document was expected.
  void html_error_page(std::string path);
  void redirect(std::string from, std::string to, int status = 302);
  // from -> to -> from -> ...
  void redirect_loop(std::string a, std::string b);
  // `plain` gzip-compressed, with Content-Encoding: gzip.
  void gzipped(std::string path, std::string plain);
  // ETag and Last-Modified on 200; 304 when If-None-Match or If-Modified-Since matches.
  void conditional(std::string path, std::string etag, std::string last_modified, std::string body);

  int request_count(std::string_view path) const;
  int total_requests() const;
  std::vector<ReceivedRequest> requests(std::string_view path) const;
  // The most requests that were being handled at the same time.
  int max_concurrent() const;
  // Distinct client connections seen (by remote port).
  int connection_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// gzip (RFC 1952) of `plain`, for servers that send pre-compressed bodies.
std::string gzip_compress(std::string_view plain);

}  // namespace driftlock::testing
