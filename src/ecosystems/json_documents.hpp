// What the npm and PyPI datasources share: one JSON document per package,
// fetched in one concurrent batch, each answer checked the same way and parsed
// on every core (parsing, not the network, dominates a warm resolve).
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/datasource.hpp"
#include "core/error.hpp"
#include "net/http_client.hpp"

namespace driftlock::ecosystems {

// A body that is not JSON at all (a proxy's or captive portal's HTML page
// with status 200) is an infrastructure error naming `subject` and the URL.
Result<void> expect_json(std::string_view subject, std::string_view body, std::string_view url,
                         const std::optional<std::string>& content_type);

// Turns one 200 answer into releases: the package name, the body, the URL
// and the Content-Type (for messages). Called from several threads at once,
// so it must not touch shared state.
using ParseDocument = Result<PackageReleases> (*)(std::string_view name, std::string_view body,
                                                  std::string_view url,
                                                  const std::optional<std::string>& content_type);

// GETs url_of(name) with `accept` for every name in one batch and returns one
// result per name: transport failures as they are, 404 as "not found at
// <registry>" (an input error), other statuses as infrastructure errors (with
// the attempts it took), and 200s through `parse`. `subject` names a package
// in messages ("npm package 'x'").
std::vector<Result<PackageReleases>> fetch_documents(
    net::HttpClient& http, std::span<const std::string> names,
    const std::function<std::string(std::string_view)>& url_of, std::string_view accept,
    std::string_view registry_url, std::string (*subject)(std::string_view), ParseDocument parse);

}  // namespace driftlock::ecosystems
