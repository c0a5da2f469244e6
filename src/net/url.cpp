#include "net/url.hpp"

#include <curl/curl.h>

#include <memory>

#include "net/http_text.hpp"

namespace driftlock::net {
namespace {

struct UrlDeleter {
  void operator()(CURLU* handle) const { curl_url_cleanup(handle); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

struct CurlString {
  char* text = nullptr;
  ~CurlString() { curl_free(text); }
};

std::optional<std::string> part(CURLU* handle, CURLUPart which, unsigned flags = 0) {
  CurlString out;
  if (curl_url_get(handle, which, &out.text, flags) != CURLUE_OK || out.text == nullptr) {
    return std::nullopt;
  }
  return std::string(out.text);
}

// Any scheme is read (a redirect to ftp:// must be recognised to be refused);
// the text is taken as written, without guessing a scheme.
UrlHandle handle_of(std::string_view text) {
  UrlHandle handle(curl_url());
  if (!handle) return nullptr;
  const std::string copy(text);
  if (copy.find('\0') != std::string::npos) return nullptr;
  if (curl_url_set(handle.get(), CURLUPART_URL, copy.c_str(), CURLU_NON_SUPPORT_SCHEME) !=
      CURLUE_OK) {
    return nullptr;
  }
  return handle;
}

std::string default_port(std::string_view scheme) {
  if (scheme == "https") return "443";
  if (scheme == "http") return "80";
  return {};
}

}  // namespace

std::optional<Url> parse_url(std::string_view text) {
  UrlHandle handle = handle_of(text);
  if (!handle) return std::nullopt;
  Url url;
  auto scheme = part(handle.get(), CURLUPART_SCHEME);
  auto host = part(handle.get(), CURLUPART_HOST);
  if (!scheme || !host) return std::nullopt;
  url.scheme = lower_ascii(*scheme);
  url.host = lower_ascii(*host);
  if (auto port = part(handle.get(), CURLUPART_PORT)) {
    url.port = *port;
    url.explicit_port = true;
  } else {
    url.port = default_port(url.scheme);
  }
  url.path = part(handle.get(), CURLUPART_PATH).value_or("/");
  url.query = part(handle.get(), CURLUPART_QUERY).value_or("");
  url.user = part(handle.get(), CURLUPART_USER, CURLU_URLDECODE);
  url.password = part(handle.get(), CURLUPART_PASSWORD, CURLU_URLDECODE);
  return url;
}

std::string scheme_of(std::string_view url) {
  UrlHandle handle = handle_of(url);
  if (!handle) return {};
  return lower_ascii(part(handle.get(), CURLUPART_SCHEME).value_or(""));
}

std::string origin_of(std::string_view url) {
  auto parsed = parse_url(url);
  if (!parsed) return {};
  return parsed->scheme + "://" + parsed->host + ":" + parsed->port;
}

std::string without_userinfo(std::string_view url) {
  UrlHandle handle = handle_of(url);
  if (!handle) return std::string(url);
  const bool has_user = part(handle.get(), CURLUPART_USER).has_value();
  const bool has_password = part(handle.get(), CURLUPART_PASSWORD).has_value();
  if (!has_user && !has_password) return std::string(url);
  curl_url_set(handle.get(), CURLUPART_USER, nullptr, 0);
  curl_url_set(handle.get(), CURLUPART_PASSWORD, nullptr, 0);
  return part(handle.get(), CURLUPART_URL).value_or(std::string(url));
}

std::optional<std::string> resolve_reference(std::string_view base, std::string_view reference) {
  UrlHandle handle = handle_of(base);
  if (!handle) return std::nullopt;
  const std::string copy(reference);
  if (copy.find('\0') != std::string::npos) return std::nullopt;
  // Setting a relative URL on a handle holding an absolute one resolves it.
  if (curl_url_set(handle.get(), CURLUPART_URL, copy.c_str(), CURLU_NON_SUPPORT_SCHEME) !=
      CURLUE_OK) {
    return std::nullopt;
  }
  return part(handle.get(), CURLUPART_URL);
}

bool is_loopback_host(std::string_view host) {
  const std::string lower = lower_ascii(host);
  if (lower == "localhost" || lower == "[::1]" || lower == "::1") return true;
  // 127.0.0.0/8, written as four decimal numbers.
  if (!lower.starts_with("127.")) return false;
  int dots = 0;
  for (char c : lower) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

bool may_carry_credentials(std::string_view url) {
  auto parsed = parse_url(url);
  if (!parsed) return false;
  return parsed->scheme == "https" || (parsed->scheme == "http" && is_loopback_host(parsed->host));
}

}  // namespace driftlock::net
