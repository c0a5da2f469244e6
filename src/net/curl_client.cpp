#include "net/curl_client.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <unordered_map>

#include "core/base64.hpp"
#include "core/text.hpp"
#include "net/http_text.hpp"
#include "net/redact.hpp"
#include "net/retry.hpp"
#include "net/url.hpp"

namespace driftlock::net {
namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// One request on its way through redirects and retries.
struct Job {
  std::size_t index = 0;
  const Request* request = nullptr;
  std::string url;                 // the current hop
  std::vector<std::string> chain;  // every hop so far, to recognise a loop
  Headers headers;                 // what is sent; credentials are dropped once the origin changes
  int retries = 0;
  int redirects = 0;
};

// One attempt at one hop: what libcurl writes into, until the transfer ends.
struct Transfer {
  Job* job = nullptr;
  CURL* easy = nullptr;
  curl_slist* header_list = nullptr;
  std::string body;
  Headers headers;
  std::size_t cap = 0;
  bool over_cap = false;
  bool out_of_memory = false;
  char error[CURL_ERROR_SIZE] = {};
};

// libcurl callbacks must not throw: failures are flagged and the transfer aborted.
std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::size_t length = size * count;
  if (length > transfer->cap - transfer->body.size()) {
    transfer->over_cap = true;
    return 0;  // anything but `length` makes libcurl abort with CURLE_WRITE_ERROR
  }
  try {
    transfer->body.append(data, length);
  } catch (...) {
    transfer->out_of_memory = true;
    return 0;
  }
  return length;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::size_t length = size * count;
  std::string_view line(data, length);
  try {
    if (line.starts_with("HTTP/")) {
      // A new status line (after "100 Continue", say) starts a new header block.
      transfer->headers.clear();
      return length;
    }
    if (line.starts_with(" ") || line.starts_with("\t")) {
      // Obsolete line folding continues the previous value.
      if (!transfer->headers.empty() && !trim_whitespace(line).empty()) {
        transfer->headers.back().second += fmt::format(" {}", trim_whitespace(line));
      }
      return length;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return length;
    transfer->headers.emplace_back(lower_ascii(trim_whitespace(line.substr(0, colon))),
                                   std::string(trim_whitespace(line.substr(colon + 1))));
  } catch (...) {
    transfer->out_of_memory = true;
    return 0;
  }
  return length;
}

// Faults worth another attempt: the server or the path to it may recover.
bool is_transient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Lower-cases the first letter of libcurl's sentences ("Couldn't connect") to
// match driftlock's messages, but leaves acronyms ("SSL ...") alone.
std::string sentence_case(std::string text) {
  if (text.size() >= 2 && text[0] >= 'A' && text[0] <= 'Z' && text[1] >= 'a' && text[1] <= 'z') {
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  }
  return text;
}

std::string describe(CURLcode code, const char* error_buffer) {
  // Stable wording for the common faults; libcurl's detail (with timings) otherwise.
  if (code == CURLE_OPERATION_TIMEDOUT) return "timed out";
  if (code == CURLE_COULDNT_CONNECT) return "couldn't connect to server";
  std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
  return sentence_case(std::move(detail));
}

bool has_line_break(std::string_view text) {
  return text.find_first_of("\r\n") != text.npos;
}

bool is_credential_header(std::string_view name) {
  return equals_ignore_case(name, "authorization") || equals_ignore_case(name, "private-token") ||
         equals_ignore_case(name, "cookie");
}

bool has_credentials(const Headers& headers) {
  return std::any_of(headers.begin(), headers.end(),
                     [](const auto& header) { return is_credential_header(header.first); });
}

// User info in a URL becomes a Basic Authorization header (unless the request
// has one), so that it is sent, dropped on redirects and refused over plain
// http exactly like any other credential, and the URL that reaches libcurl,
// its error messages and Response::effective_url never holds it.
std::string take_userinfo(const std::string& url, Headers& headers) {
  auto parsed = parse_url(url);
  if (!parsed || (!parsed->user && !parsed->password)) return url;
  if (!has_credentials(headers)) {
    const std::string pair = parsed->user.value_or("") + ":" + parsed->password.value_or("");
    headers.emplace_back("Authorization", "Basic " + base64_encode(pair));
  }
  return without_userinfo(url);
}

// The state shared by every perform() call: the multi handle keeps the
// connection, DNS and TLS session caches; idle easy handles are recycled.
struct Engine {
  HttpOptions options;
  SystemClock system_clock;
  const Clock* clock;
  Backoff backoff;
  CURLM* multi = nullptr;
  std::vector<CURL*> idle;

  Engine(HttpOptions opts, const Clock* wall_clock)
      : options(std::move(opts)),
        clock(wall_clock != nullptr ? wall_clock : &system_clock),
        backoff(options.backoff_base, options.max_backoff,
                options.jitter_seed != 0 ? options.jitter_seed : std::random_device{}()) {
    options.max_in_flight = std::max(options.max_in_flight, 1);
    options.max_retries = std::max(options.max_retries, 0);
    options.max_redirects = std::max(options.max_redirects, 0);
    static std::once_flag global_init;
    std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    multi = curl_multi_init();
  }

  ~Engine() {
    for (CURL* easy : idle) curl_easy_cleanup(easy);
    if (multi != nullptr) curl_multi_cleanup(multi);
  }

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  CURL* take_easy() {
    if (idle.empty()) return curl_easy_init();
    CURL* easy = idle.back();
    idle.pop_back();
    return easy;
  }

  void give_back(CURL* easy) {
    // Resetting keeps the handle's caches but forgets pointers into the Transfer.
    curl_easy_reset(easy);
    if (idle.size() < static_cast<std::size_t>(options.max_in_flight)) {
      idle.push_back(easy);
    } else {
      curl_easy_cleanup(easy);
    }
  }
};

// One perform() call: a ready queue, a queue of retries waiting for their
// time, and the transfers in flight.
class Run {
 public:
  Run(Engine& engine, std::span<const Request> requests)
      : m_engine(engine), m_jobs(requests.size()), m_results(requests.size()) {
    for (std::size_t i = 0; i < requests.size(); ++i) {
      Job& job = m_jobs[i];
      job.index = i;
      job.request = &requests[i];
      job.headers = requests[i].headers;
      job.url = take_userinfo(requests[i].url, job.headers);
      job.chain.push_back(job.url);
      m_ready.push_back(&job);
    }
    m_progress.total = requests.size();
  }

  // Only reached with transfers still active when a callback threw.
  ~Run() {
    for (auto& [easy, transfer] : m_active) {
      curl_multi_remove_handle(m_engine.multi, easy);
      release(*transfer);
    }
  }

  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  std::vector<Result<Response>> execute() {
    if (m_engine.multi == nullptr) {
      for (Job& job : m_jobs) complete(job, fail_fetch(job, "cannot initialise libcurl"));
      return std::move(m_results);
    }
    report();
    const auto slots = static_cast<std::size_t>(m_engine.options.max_in_flight);
    while (m_progress.done < m_progress.total) {
      promote_due_retries();
      bool started = false;
      while (m_active.size() < slots && !m_ready.empty()) {
        Job* job = m_ready.front();
        m_ready.pop_front();
        start(*job);
        started = true;
      }
      if (started) report();
      if (m_progress.done == m_progress.total) break;
      if (m_active.empty() && m_waiting.empty() && !m_ready.empty()) continue;

      int running = 0;
      curl_multi_perform(m_engine.multi, &running);
      bool finished = collect_finished();
      if (finished && !m_ready.empty()) continue;  // fill the freed slots right away
      if (m_progress.done == m_progress.total) break;
      // Sleeps until a socket is ready, libcurl's own timer fires, or the next
      // retry is due; a retry never blocks the other transfers.
      curl_multi_poll(m_engine.multi, nullptr, 0, poll_timeout_ms(), nullptr);
    }
    return std::move(m_results);
  }

 private:
  void promote_due_retries() {
    auto now = SteadyClock::now();
    while (!m_waiting.empty() && m_waiting.begin()->first <= now) {
      m_ready.push_back(m_waiting.begin()->second);
      m_waiting.erase(m_waiting.begin());
    }
  }

  int poll_timeout_ms() const {
    constexpr long long idle_ms = 1000;
    if (m_waiting.empty()) return static_cast<int>(idle_ms);
    auto until = std::chrono::ceil<milliseconds>(m_waiting.begin()->first - SteadyClock::now());
    return static_cast<int>(std::clamp<long long>(until.count(), 0, idle_ms));
  }

  void start(Job& job) {
    const Request& request = *job.request;
    if (has_credentials(job.headers) && !may_carry_credentials(job.url)) {
      // Plain http shows credentials to every hop on the way; loopback never leaves the machine.
      return complete(job, fail_fetch(job,
                                      "refusing to send credentials over plain http (use "
                                      "https; only loopback hosts are exempt)"));
    }
    for (const auto& [name, value] : job.headers) {
      if (has_line_break(name) || has_line_break(value)) {
        return complete(job, fail_fetch(job, fmt::format("header {} contains a line break", name)));
      }
    }
    for (const auto* value : {&request.etag, &request.last_modified}) {
      if (*value && has_line_break(**value)) {
        return complete(job, fail_fetch(job, "conditional header contains a line break"));
      }
    }

    CURL* easy = m_engine.take_easy();
    if (easy == nullptr) return complete(job, fail_fetch(job, "cannot create a libcurl handle"));
    auto transfer = std::make_unique<Transfer>();
    transfer->job = &job;
    transfer->easy = easy;
    transfer->cap = m_engine.options.max_body_bytes;

    std::vector<std::string> lines;
    for (const auto& [name, value] : job.headers)
      lines.push_back(fmt::format("{}: {}", name, value));
    if (request.etag) lines.push_back(fmt::format("If-None-Match: {}", *request.etag));
    if (request.last_modified) {
      lines.push_back(fmt::format("If-Modified-Since: {}", *request.last_modified));
    }
    // No "Expect: 100-continue" round trip before a body: API servers answer at once.
    if (request.method != Request::Method::get && request.method != Request::Method::head) {
      lines.emplace_back("Expect:");
    }
    for (const std::string& line : lines) {
      curl_slist* extended = curl_slist_append(transfer->header_list, line.c_str());
      if (extended == nullptr) {
        release(*transfer);
        return complete(job, fail_fetch(job, "out of memory"));
      }
      transfer->header_list = extended;
    }

    configure(*transfer);
    if (curl_multi_add_handle(m_engine.multi, easy) != CURLM_OK) {
      release(*transfer);
      return complete(job, fail_fetch(job, "cannot add a transfer to libcurl"));
    }
    m_active.emplace(easy, std::move(transfer));
  }

  void configure(Transfer& transfer) {
    const HttpOptions& options = m_engine.options;
    const Job& job = *transfer.job;
    CURL* easy = transfer.easy;
    curl_easy_setopt(easy, CURLOPT_URL, job.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PRIVATE, &transfer);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.error);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer.header_list);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, options.user_agent.c_str());
    // No signals: the resolver is asynchronous and other threads may run.
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    // Redirects are followed here, not by libcurl, to recognise loops and
    // to drop credentials when a redirect leaves the origin.
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");  // every coding libcurl decodes
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    // Prefer multiplexing over an HTTP/2 connection to opening more connections.
    curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options.connect_timeout.count()));
    const Request::Method method = job.request->method;
    if (method == Request::Method::head) {
      curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else {
      if (method != Request::Method::get) {
        // The Request outlives the transfer, so libcurl may read its body in place.
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(job.request->body.size()));
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, job.request->body.data());
        if (method != Request::Method::post) {
          curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method_name(method).data());
        }
      }
      // Refuses early when Content-Length already says too much; the write
      // callback enforces the cap on the decoded body either way.
      curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
                       static_cast<curl_off_t>(options.max_body_bytes));
    }
  }

  bool collect_finished() {
    bool any = false;
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(m_engine.multi, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      CURLcode code = message->data.result;  // `message` dies with remove_handle
      auto found = m_active.find(easy);
      if (found == m_active.end()) continue;
      std::unique_ptr<Transfer> transfer = std::move(found->second);
      m_active.erase(found);
      curl_multi_remove_handle(m_engine.multi, easy);
      finish(*transfer, code);
      release(*transfer);
      any = true;
    }
    return any;
  }

  void finish(Transfer& transfer, CURLcode code) {
    Job& job = *transfer.job;
    const HttpOptions& options = m_engine.options;
    if (transfer.over_cap || code == CURLE_FILESIZE_EXCEEDED) {
      return complete(job,
                      fail(ErrorKind::infrastructure,
                           fmt::format("response from {} exceeds {}", redact_url(job.request->url),
                                       format_byte_size(options.max_body_bytes))));
    }
    if (transfer.out_of_memory) return complete(job, fail_fetch(job, "out of memory"));
    if (code != CURLE_OK) {
      std::string reason = describe(code, transfer.error);
      if (is_transient(code) && job.retries < options.max_retries) {
        return retry(job, std::move(reason), std::nullopt);
      }
      return complete(job, fail_fetch(job, reason));
    }

    long status = 0;
    curl_easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &status);
    if (is_redirect(status)) {
      char* location = nullptr;
      curl_easy_getinfo(transfer.easy, CURLINFO_REDIRECT_URL, &location);
      if (location != nullptr) return redirect(job, location);
    }

    Response response;
    response.status = status;
    response.headers = std::move(transfer.headers);
    response.body = std::move(transfer.body);
    char* effective = nullptr;
    curl_easy_getinfo(transfer.easy, CURLINFO_EFFECTIVE_URL, &effective);
    response.effective_url = effective != nullptr ? effective : job.url;
    response.attempts = job.retries + 1;

    if (job.retries < options.max_retries) {
      RetryAdvice advice = advise_retry(response, options.retry_statuses, m_engine.clock->now());
      if (advice.verdict == RetryAdvice::Verdict::retry) {
        return retry(job, fmt::format("HTTP {}", status), advice.server_wait);
      }
    }
    complete(job, std::move(response));
  }

  void redirect(Job& job, std::string next) {
    // A Location naming user info gets none of it sent: credentials come from
    // driftlock's configuration, never from a server.
    next = without_userinfo(next);
    std::string scheme = scheme_of(next);
    if (scheme != "http" && scheme != "https") {
      return complete(
          job, fail_fetch(job, fmt::format("redirect to unsupported URL {}", redact_url(next))));
    }
    if (scheme_of(job.url) == "https" && scheme == "http") {
      return complete(job, fail_fetch(job, fmt::format("refusing redirect from https to {}",
                                                       redact_url(next))));
    }
    if (std::find(job.chain.begin(), job.chain.end(), next) != job.chain.end()) {
      std::string loop;
      for (const std::string& hop : job.chain) loop += fmt::format("{} -> ", redact_url(hop));
      loop += redact_url(next);
      return complete(job, fail_fetch(job, fmt::format("redirect loop ({})", loop)));
    }
    if (job.redirects >= m_engine.options.max_redirects) {
      return complete(job, fail_fetch(job, fmt::format("more than {} redirects",
                                                       m_engine.options.max_redirects)));
    }
    if (origin_of(next) != origin_of(job.url)) {
      // Credentials meant for one registry must not follow it to a CDN or elsewhere.
      std::erase_if(job.headers,
                    [](const auto& header) { return is_credential_header(header.first); });
    }
    job.chain.push_back(next);
    job.url = std::move(next);
    ++job.redirects;
    m_ready.push_back(&job);
  }

  void retry(Job& job, std::string reason, std::optional<milliseconds> retry_after) {
    ++job.retries;
    milliseconds delay = m_engine.backoff.delay(job.retries, retry_after);
    ++m_progress.retries;
    if (m_engine.options.on_retry) {
      m_engine.options.on_retry(
          RetryNotice{redact_url(job.url), job.retries, std::move(reason), delay});
    }
    if (m_engine.options.sleep) {
      m_engine.options.sleep(delay);
      m_ready.push_back(&job);
      return;
    }
    m_waiting.emplace(SteadyClock::now() + delay, &job);
  }

  std::unexpected<Error> fail_fetch(const Job& job, std::string_view reason) const {
    const Request::Method method = job.request->method;
    // "cannot fetch URL" for reading; "cannot POST URL" says a write did not happen.
    const std::string verb = method == Request::Method::get || method == Request::Method::head
                                 ? std::string("fetch")
                                 : std::string(method_name(method));
    std::string message =
        fmt::format("cannot {} {}: {}", verb, redact_url(job.request->url), reason);
    if (job.retries > 0) message += fmt::format(" (gave up after {} attempts)", job.retries + 1);
    return fail(ErrorKind::infrastructure, std::move(message));
  }

  void complete(Job& job, Result<Response> result) {
    if (!result) ++m_progress.failures;
    m_results[job.index] = std::move(result);
    ++m_progress.done;
    report();
  }

  void release(Transfer& transfer) {
    curl_slist_free_all(transfer.header_list);
    transfer.header_list = nullptr;
    m_engine.give_back(transfer.easy);
    transfer.easy = nullptr;
  }

  void report() {
    if (!m_engine.options.on_progress) return;
    m_progress.in_flight = m_active.size();
    m_engine.options.on_progress(m_progress);
  }

  Engine& m_engine;
  std::vector<Job> m_jobs;
  std::vector<Result<Response>> m_results;
  std::deque<Job*> m_ready;
  std::multimap<SteadyClock::time_point, Job*> m_waiting;
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> m_active;
  Progress m_progress;
};

}  // namespace

struct CurlHttpClient::Impl {
  Engine engine;
  std::mutex mutex;

  Impl(HttpOptions options, const Clock* clock) : engine(std::move(options), clock) {}
};

CurlHttpClient::CurlHttpClient(HttpOptions options, const Clock* clock)
    : m_impl(std::make_unique<Impl>(std::move(options), clock)) {}

CurlHttpClient::~CurlHttpClient() = default;

std::vector<Result<Response>> CurlHttpClient::perform(std::span<const Request> requests) {
  std::lock_guard lock(m_impl->mutex);
  Run run(m_impl->engine, requests);
  return run.execute();
}

}  // namespace driftlock::net
