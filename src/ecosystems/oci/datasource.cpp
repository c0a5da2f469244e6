#include "ecosystems/oci/datasource.hpp"
#include "core/text.hpp"

#include <array>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <nlohmann/json.hpp>

#include "ecosystems/oci/credentials.hpp"
#include "ecosystems/oci/name.hpp"
#include "ecosystems/oci/version.hpp"
#include "net/http_text.hpp"
#include "net/redact.hpp"
#include "net/url.hpp"

namespace driftlock::ecosystems::oci {

namespace {

// A registry that keeps answering "next" must not loop forever.
constexpr int kMaxTagPages = 1000;

std::string sha256_digest(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::string out = "sha256:";
  for (unsigned int i = 0; i < length; ++i) out += fmt::format("{:02x}", digest[i]);
  return out;
}

bool is_loopback(std::string_view host) {
  // `host` may carry a port: "127.0.0.1:5000", "[::1]:5000".
  auto parsed = net::parse_url(fmt::format("http://{}/", host));
  return parsed && net::is_loopback_host(parsed->host);
}

// Docker Hub's credentials are filed under the name users log in to rather
// than its API host: podman and buildah write docker.io, `docker login`
// https://index.docker.io/v1/.
Result<std::optional<Credentials>> credentials_for(const CredentialLookup& lookup,
                                                   std::string_view host) {
  if (!lookup) return std::optional<Credentials>{};
  if (host != kDockerHubApi) return lookup(host);
  for (std::string_view name : {kDockerHub, kDockerHubIndex, kDockerHubApi}) {
    auto found = lookup(name);
    if (!found || *found) return found;
  }
  return std::optional<Credentials>{};
}

// The OAuth2 form Docker posts to a token realm for an identity token
// (distribution's token authentication, "refresh_token" grant).
std::string refresh_token_form(const Challenge& challenge, std::string_view default_scope,
                               std::string_view refresh_token) {
  std::string form = "grant_type=refresh_token&client_id=driftlock";
  if (challenge.service) form += "&service=" + net::percent_encode(*challenge.service);
  form += "&scope=" + net::percent_encode(challenge.scope ? *challenge.scope : default_scope);
  form += "&refresh_token=" + net::percent_encode(refresh_token);
  return form;
}

struct Image {
  std::string name;
  ImageReference reference;
  std::string base;  // {scheme}://{host}/v2/{path}
  std::string follow;
  std::optional<Error> error;  // set once; the image is then done
  std::vector<std::string> tags;
  std::optional<std::string> authorization;  // header value, once known
  bool auth_tried = false;
  std::optional<std::string> auth_problem;  // why authentication did not work
  std::optional<std::string> withheld;      // a token realm the credentials were not sent to
  std::map<std::string, std::string, std::less<>> digests;  // followed tag -> digest
};

struct Call {
  std::size_t image = 0;
  net::Request request;
  std::string tag;  // manifest calls: the tag asked for
};

class Session {
 public:
  Session(net::HttpClient& http, const CredentialLookup& credentials, std::vector<Image>& images)
      : m_http(http), m_credentials(credentials), m_images(images) {}

  // Performs the calls in one batch; 401s start authentication for their
  // image once, then those calls are sent again in a second batch.
  std::vector<Result<net::Response>> send(const std::vector<Call>& calls) {
    auto responses = m_http.perform(with_auth(calls));
    responses.resize(calls.size(), fail(ErrorKind::infrastructure, "no response"));
    std::vector<std::size_t> retry;
    std::map<std::size_t, Challenge> challenges;
    for (std::size_t i = 0; i < calls.size(); ++i) {
      Image& image = m_images[calls[i].image];
      if (!responses[i] || responses[i]->status != 401) continue;
      if (image.auth_tried && !challenges.contains(calls[i].image)) continue;
      retry.push_back(i);
      if (image.auth_tried) continue;
      image.auth_tried = true;
      auto challenge = parse_challenge(responses[i]->header("www-authenticate").value_or(""));
      if (!challenge) {
        image.auth_problem = "no usable WWW-Authenticate challenge";
        continue;
      }
      challenges.emplace(calls[i].image, std::move(*challenge));
    }
    if (retry.empty()) return responses;
    authenticate(challenges);
    std::vector<Call> again;
    std::vector<std::size_t> positions;
    for (std::size_t i : retry) {
      if (!m_images[calls[i].image].authorization) continue;
      again.push_back(calls[i]);
      positions.push_back(i);
    }
    if (again.empty()) return responses;
    auto retried = m_http.perform(with_auth(again));
    for (std::size_t j = 0; j < positions.size() && j < retried.size(); ++j) {
      responses[positions[j]] = std::move(retried[j]);
    }
    return responses;
  }

 private:
  std::vector<net::Request> with_auth(const std::vector<Call>& calls) const {
    std::vector<net::Request> requests;
    for (const auto& call : calls) {
      net::Request request = call.request;
      // Only to the registry itself: a Link header may point anywhere.
      const Image& image = m_images[call.image];
      if (image.authorization && net::origin_of(request.url) == net::origin_of(image.base)) {
        request.headers.emplace_back("Authorization", *image.authorization);
      }
      requests.push_back(std::move(request));
    }
    return requests;
  }

  void authenticate(const std::map<std::size_t, Challenge>& challenges) {
    std::vector<std::size_t> waiting;
    std::vector<net::Request> token_requests;
    for (const auto& [index, challenge] : challenges) {
      Image& image = m_images[index];
      auto looked_up = credentials_for(m_credentials, image.reference.host);
      if (!looked_up) {
        image.auth_problem = looked_up.error().message;
        continue;
      }
      const std::optional<Credentials>& credentials = *looked_up;
      if (challenge.scheme == Challenge::Scheme::basic) {
        if (!credentials) {
          image.auth_problem = "the registry wants credentials and none are configured";
        } else if (!net::may_carry_credentials(image.base)) {
          image.auth_problem = "credentials are only sent over https (or to a loopback host)";
        } else {
          image.authorization = basic_authorization(*credentials);
        }
        continue;
      }
      const std::string scope = fmt::format("repository:{}:pull", image.reference.path);
      net::Request request;
      request.url = token_url(challenge, scope);
      request.headers.emplace_back("Accept", "application/json");
      // A token is a secret: no cache keeps it.
      request.headers.emplace_back("Cache-Control", "no-store");
      if (credentials && !net::may_carry_credentials(challenge.realm)) {
        // A registry names its realm; over plain http to another host the
        // credentials would travel in the clear. Try anonymously instead.
        image.withheld = net::redact_url(challenge.realm);
      } else if (credentials && credentials->username == kIdentityTokenUser) {
        request.url = challenge.realm;
        request.method = net::Request::Method::post;
        request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
        request.body = refresh_token_form(challenge, scope, credentials->password);
      } else if (credentials) {
        request.headers.emplace_back("Authorization", basic_authorization(*credentials));
      }
      token_requests.push_back(std::move(request));
      waiting.push_back(index);
    }
    if (token_requests.empty()) return;
    auto answers = m_http.perform(token_requests);
    for (std::size_t j = 0; j < waiting.size(); ++j) {
      Image& image = m_images[waiting[j]];
      const std::string realm = net::redact_url(challenges.at(waiting[j]).realm);
      if (j >= answers.size() || !answers[j]) {
        image.auth_problem = fmt::format(
            "cannot get a token from {}: {}", realm,
            j < answers.size() ? answers[j].error().message : std::string("no response"));
        continue;
      }
      if (!answers[j]->ok()) {
        image.auth_problem =
            fmt::format("cannot get a token from {}: HTTP {}", realm, answers[j]->status);
        continue;
      }
      auto token = parse_token_response(answers[j]->body);
      if (!token) {
        image.auth_problem =
            fmt::format("cannot get a token from {}: {}", realm, token.error().message);
        continue;
      }
      image.authorization = "Bearer " + *token;
    }
  }

  net::HttpClient& m_http;
  const CredentialLookup& m_credentials;
  std::vector<Image>& m_images;
};

std::string subject(const Image& image) {
  return fmt::format("OCI image '{}'", escape_for_message(image.name));
}

// A failed call: transport error or unexpected status.
Error failure(const Image& image, const Result<net::Response>& response, std::string_view url) {
  if (!response) {
    return Error{response.error().kind,
                 fmt::format("{}: {}", subject(image), response.error().message), std::nullopt};
  }
  std::string message = fmt::format("{}: cannot fetch {}: HTTP {}", subject(image),
                                    net::redact_url(url), response->status);
  if (response->status == 401 || response->status == 403) {
    if (image.auth_problem) message += fmt::format(" ({})", *image.auth_problem);
    if (image.withheld) {
      message += fmt::format(" (credentials were not sent to the token realm {}: not https)",
                             *image.withheld);
    }
  } else if (response->attempts > 1) {
    message += fmt::format(" (gave up after {} attempts)", response->attempts);
  }
  return Error{ErrorKind::infrastructure, std::move(message), std::nullopt};
}

// Appends the tags of one tags/list page; an error message when it is not one.
std::optional<std::string> read_tags(std::string_view body, std::vector<std::string>& tags) {
  try {
    const auto document = nlohmann::json::parse(body);
    if (!document.is_object()) return "not a JSON object";
    if (!document.contains("tags") || document["tags"].is_null()) return std::nullopt;
    if (!document["tags"].is_array()) return "\"tags\" is not a list";
    for (const auto& tag : document["tags"]) {
      if (!tag.is_string()) return "a tag is not a string";
      tags.push_back(tag.get<std::string>());
    }
    return std::nullopt;
  } catch (const nlohmann::json::parse_error& e) {
    return fmt::format("malformed JSON at byte {}", e.byte);
  } catch (const nlohmann::json::out_of_range&) {  // a number beyond a double: 1e999
    return "malformed JSON: a number out of range";
  }
}

void list_tags(Session& session, std::vector<Image>& images) {
  std::vector<Call> calls;
  for (std::size_t i = 0; i < images.size(); ++i) {
    if (images[i].error) continue;
    Call call{i, {}, {}};
    call.request.url = images[i].base + "/tags/list";
    call.request.headers.emplace_back("Accept", "application/json");
    calls.push_back(std::move(call));
  }
  for (int page = 0; page < kMaxTagPages && !calls.empty(); ++page) {
    auto responses = session.send(calls);
    std::vector<Call> next;
    for (std::size_t i = 0; i < calls.size(); ++i) {
      Image& image = images[calls[i].image];
      const std::string& url = calls[i].request.url;
      const auto& response = responses[i];
      if (response && response->status == 404) {
        image.error = Error{
            ErrorKind::input,
            fmt::format("{} not found: {} gave HTTP 404", subject(image), net::redact_url(url)),
            std::nullopt};
        continue;
      }
      if (!response || !response->ok()) {
        image.error = failure(image, response, url);
        continue;
      }
      if (auto problem = read_tags(response->body, image.tags)) {
        image.error = Error{ErrorKind::infrastructure,
                            fmt::format("{}: unexpected tag list from {}: {}", subject(image),
                                        net::redact_url(url), *problem),
                            std::nullopt};
        continue;
      }
      if (auto link = response->header("link")) {
        if (auto target = next_link(*link, url)) {
          Call call = calls[i];
          call.request.url = *target;
          next.push_back(std::move(call));
        }
      }
    }
    calls = std::move(next);
  }
}

std::vector<std::string> followed_tags(const Image& image) {
  if (image.follow.find('*') == std::string::npos) return {image.follow};
  std::vector<std::string> matching;
  for (const auto& tag : image.tags) {
    if (glob_match(image.follow, tag)) matching.push_back(tag);
  }
  return matching;
}

void resolve_digests(Session& session, std::vector<Image>& images) {
  std::vector<Call> heads;
  for (std::size_t i = 0; i < images.size(); ++i) {
    if (images[i].error) continue;
    for (auto& tag : followed_tags(images[i])) {
      Call call{i, {}, tag};
      call.request.url = fmt::format("{}/manifests/{}", images[i].base, tag);
      call.request.method = net::Request::Method::head;
      call.request.headers.emplace_back("Accept", std::string(kManifestAccept));
      heads.push_back(std::move(call));
    }
  }
  std::vector<Call> gets;
  auto take = [&](const std::vector<Call>& calls, bool is_head) {
    auto responses = session.send(calls);
    for (std::size_t i = 0; i < calls.size(); ++i) {
      Image& image = images[calls[i].image];
      if (image.error) continue;
      const auto& response = responses[i];
      if (response && response->status == 404) {
        image.error = Error{
            ErrorKind::input,
            fmt::format("{} has no tag '{}'", subject(image), escape_for_message(calls[i].tag)),
            std::nullopt};
        continue;
      }
      if (!response || !response->ok()) {
        image.error = failure(image, response, calls[i].request.url);
        continue;
      }
      auto digest = response->header("docker-content-digest");
      if (digest && !digest->empty()) {
        image.digests[calls[i].tag] = *digest;
      } else if (is_head) {
        // Some registries leave the header off HEAD answers: hash the manifest.
        Call get = calls[i];
        get.request.method = net::Request::Method::get;
        gets.push_back(std::move(get));
      } else {
        image.digests[calls[i].tag] = sha256_digest(response->body);
      }
    }
  };
  if (!heads.empty()) take(heads, true);
  if (!gets.empty()) take(std::vector<Call>(gets), false);
}

PackageReleases releases_of(const Image& image) {
  PackageReleases out{image.name, {}, false};
  std::set<std::string, std::less<>> seen;
  auto add = [&](const std::string& tag) {
    if (!seen.insert(tag).second) return;
    Release release;
    release.version = tag;
    if (auto hit = image.digests.find(tag); hit != image.digests.end()) {
      release.digest = hit->second;
      release.source_url = fmt::format("{}:{}", image.name, tag);
    }
    out.releases.push_back(std::move(release));
  };
  for (const auto& tag : image.tags) add(tag);
  // A followed tag the listing left out (some registries hide tags) still counts.
  for (const auto& [tag, digest] : image.digests) add(tag);
  return out;
}

}  // namespace

Result<ImageReference> split_reference(std::string_view name) {
  ImageName split = split_name(name);
  if (split.path.empty()) {
    return fail_input(fmt::format("OCI image '{}' names no image path after the registry",
                                  escape_for_message(name)));
  }
  if (split.registry == kDockerHub) split.registry = kDockerHubApi;
  return ImageReference{std::move(split.registry), std::move(split.path)};
}

std::string repository_url(const ImageReference& reference, Scheme scheme) {
  const bool http =
      scheme == Scheme::http || (scheme == Scheme::automatic && is_loopback(reference.host));
  return fmt::format("{}://{}/v2/{}", http ? "http" : "https", reference.host, reference.path);
}

std::optional<std::string> next_link(std::string_view link_header, std::string_view base_url) {
  auto target = net::next_link(link_header);
  if (!target) return std::nullopt;
  return net::resolve_reference(base_url, *target);
}

OciDatasource::OciDatasource(net::HttpClient& http,
                             std::map<std::string, std::string, std::less<>> follow,
                             CredentialLookup credentials, Scheme scheme)
    : m_http(http),
      m_follow(std::move(follow)),
      m_credentials(std::move(credentials)),
      m_scheme(scheme) {}

std::vector<Result<PackageReleases>> OciDatasource::fetch(std::span<const std::string> names,
                                                          PublishTimes /*times*/) {
  std::vector<Image> images;
  for (const auto& name : names) {
    Image image;
    image.name = name;
    if (auto reference = split_reference(name); !reference) {
      image.error = reference.error();
    } else if (auto follow = m_follow.find(name); follow == m_follow.end()) {
      image.error =
          Error{ErrorKind::input, fmt::format("{}: no tag to follow was given", subject(image)),
                std::nullopt};
    } else {
      image.reference = *reference;
      image.base = repository_url(image.reference, m_scheme);
      image.follow = follow->second;
    }
    images.push_back(std::move(image));
  }
  Session session(m_http, m_credentials, images);
  list_tags(session, images);
  resolve_digests(session, images);
  std::vector<Result<PackageReleases>> results;
  for (const auto& image : images) {
    if (image.error) {
      results.push_back(std::unexpected(*image.error));
    } else {
      results.push_back(releases_of(image));
    }
  }
  return results;
}

std::unique_ptr<Datasource> make_datasource(net::HttpClient& http,
                                            std::map<std::string, std::string, std::less<>> follow,
                                            CredentialLookup credentials, Scheme scheme) {
  return std::make_unique<OciDatasource>(http, std::move(follow), std::move(credentials), scheme);
}

}  // namespace driftlock::ecosystems::oci
