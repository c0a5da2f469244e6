#include "support/loopback_server.hpp"

#include <httplib.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

namespace driftlock::testing {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A handler whose fault lasts for the first `times` requests (or always).
RouteHandler faulty(int times, std::function<Reply()> fault, Reply ok) {
  return [times, fault = std::move(fault), ok = std::move(ok)](const ReceivedRequest&, int count) {
    if (times == LoopbackServer::always || count <= times) return fault();
    return ok;
  };
}

void apply(const Reply& reply, httplib::Response& res) {
  res.status = reply.status;
  for (const auto& [name, value] : reply.headers) res.set_header(name, value);
  if (reply.declared_length && *reply.declared_length > reply.body.size()) {
    // Sends what there is, then refuses to go on: cpp-httplib closes the
    // connection short of the announced length.
    res.set_content_provider(
        *reply.declared_length, reply.content_type,
        [body = reply.body](std::size_t offset, std::size_t, httplib::DataSink& sink) {
          if (offset >= body.size()) return false;
          sink.write(body.data() + offset, body.size() - offset);
          return true;
        });
    return;
  }
  res.set_content(reply.body, reply.content_type);
}

}  // namespace

Reply make_reply(int status, std::string body, std::string content_type, HeaderList headers) {
  Reply reply;
  reply.status = status;
  reply.body = std::move(body);
  reply.content_type = std::move(content_type);
  reply.headers = std::move(headers);
  return reply;
}

std::optional<std::string> ReceivedRequest::header(std::string_view name) const {
  std::string key = lower(name);
  for (const auto& [n, v] : headers) {
    if (n == key) return v;
  }
  return std::nullopt;
}

struct LoopbackServer::Impl {
  httplib::Server server;
  std::thread thread;
  int port = 0;

  mutable std::mutex mutex;
  std::map<std::string, RouteHandler, std::less<>> exact;
  std::map<std::string, RouteHandler, std::less<>> prefixes;
  std::map<std::string, std::vector<ReceivedRequest>, std::less<>> seen;
  std::set<int> remote_ports;
  int total = 0;

  std::atomic<int> active{0};
  std::atomic<int> most_active{0};

  std::optional<RouteHandler> find(const std::string& path) const {
    if (auto it = exact.find(path); it != exact.end()) return it->second;
    std::optional<RouteHandler> best;
    std::size_t best_length = 0;
    for (const auto& [prefix, handler] : prefixes) {
      if (path.starts_with(prefix) && prefix.size() >= best_length) {
        best = handler;
        best_length = prefix.size();
      }
    }
    return best;
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    int now = ++active;
    int seen_most = most_active.load();
    while (now > seen_most && !most_active.compare_exchange_weak(seen_most, now)) {
    }

    ReceivedRequest request{req.method, req.path, {}, req.remote_port, req.target, req.body};
    for (const auto& [name, value] : req.headers) request.headers.emplace_back(lower(name), value);
    std::optional<RouteHandler> handler;
    int count = 0;
    {
      std::lock_guard lock(mutex);
      auto& list = seen[req.path];
      list.push_back(request);
      count = static_cast<int>(list.size());
      ++total;
      remote_ports.insert(req.remote_port);
      handler = find(req.path);
    }

    Reply reply;
    if (!handler) {
      reply = make_reply(404, "not found\n");
    } else {
      try {
        reply = (*handler)(request, count);
      } catch (const std::exception& e) {
        reply = make_reply(500, std::string("handler threw: ") + e.what() + "\n");
      }
    }
    if (reply.delay.count() > 0) std::this_thread::sleep_for(reply.delay);
    apply(reply, res);
    --active;
  }
};

LoopbackServer::LoopbackServer(int threads) : m_impl(std::make_unique<Impl>()) {
  // A client that gives up (timeouts, size caps) leaves the server writing to
  // a closed socket; that must not kill the test process.
  std::signal(SIGPIPE, SIG_IGN);
  Impl& impl = *m_impl;
  auto pool_size = static_cast<std::size_t>(std::max(threads, 1));
  impl.server.new_task_queue = [pool_size] { return new httplib::ThreadPool(pool_size); };
  // Without TCP_NODELAY, headers and body in separate writes meet delayed ACKs:
  // 40 ms per response.
  impl.server.set_tcp_nodelay(true);
  impl.server.set_keep_alive_max_count(1000);
  impl.server.set_keep_alive_timeout(2);
  auto handle = [&impl](const httplib::Request& req, httplib::Response& res) {
    impl.handle(req, res);
  };
  impl.server.Get(".*", handle);
  impl.server.Post(".*", handle);
  impl.server.Patch(".*", handle);
  impl.server.Put(".*", handle);
  impl.port = impl.server.bind_to_any_port("127.0.0.1");
  if (impl.port <= 0) throw std::runtime_error("loopback server: cannot bind 127.0.0.1");
  impl.thread = std::thread([&impl] { impl.server.listen_after_bind(); });
  // stop() is a no-op until the accept loop runs: wait for it.
  while (!impl.server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

LoopbackServer::~LoopbackServer() {
  m_impl->server.stop();
  if (m_impl->thread.joinable()) m_impl->thread.join();
}

int LoopbackServer::port() const {
  return m_impl->port;
}

std::string LoopbackServer::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(m_impl->port) + std::string(path);
}

void LoopbackServer::route(std::string path, Reply reply) {
  route(std::move(path), [reply = std::move(reply)](const ReceivedRequest&, int) { return reply; });
}

void LoopbackServer::route(std::string path, RouteHandler handler) {
  std::lock_guard lock(m_impl->mutex);
  m_impl->exact.insert_or_assign(std::move(path), std::move(handler));
}

void LoopbackServer::route_prefix(std::string prefix, RouteHandler handler) {
  std::lock_guard lock(m_impl->mutex);
  m_impl->prefixes.insert_or_assign(std::move(prefix), std::move(handler));
}

void LoopbackServer::slow(std::string path, std::chrono::milliseconds delay, Reply reply) {
  reply.delay = delay;
  route(std::move(path), std::move(reply));
}

void LoopbackServer::rate_limited(std::string path, int times, std::string retry_after, Reply ok) {
  route(std::move(path),
        faulty(
            times,
            [retry_after] {
              return make_reply(429, "slow down\n", "text/plain", {{"Retry-After", retry_after}});
            },
            std::move(ok)));
}

void LoopbackServer::failing(std::string path, int status, int times, Reply ok) {
  route(std::move(path),
        faulty(
            times, [status] { return make_reply(status, "try again later\n"); }, std::move(ok)));
}

void LoopbackServer::truncated(std::string path, std::string partial, std::size_t declared_length,
                               int times, Reply ok) {
  route(std::move(path), faulty(
                             times,
                             [partial, declared_length] {
                               Reply reply = make_reply(200, partial, "application/octet-stream");
                               reply.declared_length = declared_length;
                               return reply;
                             },
                             std::move(ok)));
}

void LoopbackServer::malformed_json(std::string path) {
  route(std::move(path),
        make_reply(200, R"({"name": "left-pad", "versions": {"1.0.0": )", "application/json"));
}

void LoopbackServer::html_error_page(std::string path) {
  route(std::move(path),
        make_reply(200,
                   "<!DOCTYPE html>\n<html><head><title>Gateway error</title></head>"
                   "<body><h1>Upstream unavailable</h1><p>Please try again later.</p></body>"
                   "</html>\n",
                   "text/html; charset=utf-8"));
}

void LoopbackServer::redirect(std::string from, std::string to, int status) {
  route(std::move(from), make_reply(status, "", "text/plain", {{"Location", std::move(to)}}));
}

void LoopbackServer::redirect_loop(std::string a, std::string b) {
  redirect(a, b);
  redirect(b, a);
}

void LoopbackServer::gzipped(std::string path, std::string plain) {
  // application/octet-stream: cpp-httplib would otherwise compress it again.
  route(std::move(path), make_reply(200, gzip_compress(plain), "application/octet-stream",
                                    {{"Content-Encoding", "gzip"}}));
}

void LoopbackServer::conditional(std::string path, std::string etag, std::string last_modified,
                                 std::string body) {
  route(std::move(path), [etag, last_modified, body](const ReceivedRequest& request, int) {
    HeaderList validators = {{"ETag", etag}, {"Last-Modified", last_modified}};
    if (request.header("if-none-match") == etag ||
        (!request.header("if-none-match") &&
         request.header("if-modified-since") == last_modified)) {
      return make_reply(304, "", "text/plain", validators);
    }
    return make_reply(200, body, "application/json", validators);
  });
}

int LoopbackServer::request_count(std::string_view path) const {
  std::lock_guard lock(m_impl->mutex);
  auto it = m_impl->seen.find(path);
  return it == m_impl->seen.end() ? 0 : static_cast<int>(it->second.size());
}

int LoopbackServer::total_requests() const {
  std::lock_guard lock(m_impl->mutex);
  return m_impl->total;
}

std::vector<ReceivedRequest> LoopbackServer::requests(std::string_view path) const {
  std::lock_guard lock(m_impl->mutex);
  auto it = m_impl->seen.find(path);
  return it == m_impl->seen.end() ? std::vector<ReceivedRequest>{} : it->second;
}

int LoopbackServer::max_concurrent() const {
  return m_impl->most_active.load();
}

int LoopbackServer::connection_count() const {
  std::lock_guard lock(m_impl->mutex);
  return static_cast<int>(m_impl->remote_ports.size());
}

std::string gzip_compress(std::string_view plain) {
  z_stream stream{};
  // windowBits 15 + 16 selects the gzip wrapper rather than zlib's.
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("gzip_compress: deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(plain.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  stream.avail_in = static_cast<uInt>(plain.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int status = deflate(&stream, Z_FINISH);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("gzip_compress: deflate failed");
  out.resize(stream.total_out);
  return out;
}

}  // namespace driftlock::testing
