#include <catch2/catch.hpp>

#include "ecosystems/oci/name.hpp"

#include <string>
#include <vector>

using namespace driftlock;
namespace oci = driftlock::ecosystems::oci;

TEST_CASE("oci: valid image references", "[oci][name]") {
  for (std::string_view name : {
           "debian",
           "library/debian",
           "127.0.0.1:5000/base",
           "registry.example/library/debian",
           "registry.example:443/team/ci-image",
           "localhost/base",
           "localhost:5000/a/b/c",
           "[::1]:5000/base",
           "[fe80::1]/base",
           "my-registry.example/x",
           "registry.example/a.b__c/d",
           "foo_bar/baz.qux",
           "foo---bar",
           "foo__bar",
           "0ad",
       }) {
    INFO(name);
    CHECK(oci::validate_name(name).has_value());
  }
}

TEST_CASE("oci: invalid image references", "[oci][name]") {
  const std::string long_name = "registry.example/" + std::string(239, 'a');
  struct Row {
    std::string name, message;
  };
  const std::vector<Row> rows = {
      {"", "invalid OCI image reference '': empty name"},
      {"debian:12",
       "invalid OCI image reference 'debian:12': it includes the tag '12'; use \"debian\" as the "
       "key and \"12\" as the value"},
      {"127.0.0.1:5000/base:stable",
       "invalid OCI image reference '127.0.0.1:5000/base:stable': it includes the tag 'stable'; "
       "use \"127.0.0.1:5000/base\" as the key and \"stable\" as the value"},
      {"registry.example/library/debian@sha256:abcd",
       "invalid OCI image reference 'registry.example/library/debian@sha256:abcd': it names a "
       "digest; use \"registry.example/library/debian\" as the key and the tag to follow as the "
       "value (the snapshot records the digest)"},
      {"base:stable@sha256:abcd",
       "invalid OCI image reference 'base:stable@sha256:abcd': it names a digest; use "
       "\"base:stable\" as the key and the tag to follow as the value (the snapshot records the "
       "digest)"},
      {"Debian", "invalid OCI image reference 'Debian': path component 'Debian' is not lowercase"},
      {"registry.example/Team/x",
       "invalid OCI image reference 'registry.example/Team/x': path component 'Team' is not "
       "lowercase"},
      {"registry.example/",
       "invalid OCI image reference 'registry.example/': no image path after the registry"},
      {"a//b", "invalid OCI image reference 'a//b': empty path component"},
      {"a/b/", "invalid OCI image reference 'a/b/': empty path component"},
      {"/a", "invalid OCI image reference '/a': empty path component"},
      {"-a",
       "invalid OCI image reference '-a': invalid path component '-a' (lowercase letters and "
       "digits, joined by '.', '_', '__' or '-')"},
      {"a.",
       "invalid OCI image reference 'a.': invalid path component 'a.' (lowercase letters and "
       "digits, joined by '.', '_', '__' or '-')"},
      {"a..b",
       "invalid OCI image reference 'a..b': invalid path component 'a..b' (lowercase letters "
       "and digits, joined by '.', '_', '__' or '-')"},
      {"a___b",
       "invalid OCI image reference 'a___b': invalid path component 'a___b' (lowercase letters "
       "and digits, joined by '.', '_', '__' or '-')"},
      {"a b",
       "invalid OCI image reference 'a b': invalid path component 'a b' (lowercase letters and "
       "digits, joined by '.', '_', '__' or '-')"},
      {"a;rm",
       "invalid OCI image reference 'a;rm': invalid path component 'a;rm' (lowercase letters "
       "and digits, joined by '.', '_', '__' or '-')"},
      {"-bad.example/x",
       "invalid OCI image reference '-bad.example/x': invalid registry host '-bad.example'"},
      {"bad..example/x",
       "invalid OCI image reference 'bad..example/x': invalid registry host 'bad..example'"},
      {"bad_host.example/x",
       "invalid OCI image reference 'bad_host.example/x': invalid registry host "
       "'bad_host.example'"},
      {":5000/x", "invalid OCI image reference ':5000/x': empty registry host"},
      {"127.0.0.1:/x",
       "invalid OCI image reference '127.0.0.1:/x': invalid registry port '' (expected 1-65535)"},
      {"127.0.0.1:99999/x",
       "invalid OCI image reference '127.0.0.1:99999/x': invalid registry port '99999' (expected "
       "1-65535)"},
      {"127.0.0.1:0/x",
       "invalid OCI image reference '127.0.0.1:0/x': invalid registry port '0' (expected "
       "1-65535)"},
      {"localhost:port/x",
       "invalid OCI image reference 'localhost:port/x': invalid registry port 'port' (expected "
       "1-65535)"},
      {"[::1/x", "invalid OCI image reference '[::1/x': unclosed '[' in the registry host"},
      {"[]:5000/x", "invalid OCI image reference '[]:5000/x': empty registry host"},
      {"[::g]/x", "invalid OCI image reference '[::g]/x': invalid IPv6 registry host '[::g]'"},
      {"[::1]x/y",
       "invalid OCI image reference '[::1]x/y': invalid registry '[::1]x' (expected "
       "[IPv6]:port)"},
      {long_name, "invalid OCI image reference '" + long_name.substr(0, 100) +
                      "...': longer than 255 characters"},
  };
  for (const auto& row : rows) {
    INFO(row.name);
    auto checked = oci::validate_name(row.name);
    REQUIRE_FALSE(checked.has_value());
    CHECK(checked.error().kind == ErrorKind::input);
    CHECK(checked.error().message == row.message);
  }
  // 255 characters exactly is fine.
  CHECK(oci::validate_name("registry.example/" + std::string(238, 'a')).has_value());
}

TEST_CASE("oci: references without a registry host are on Docker Hub", "[oci][name]") {
  struct Row {
    std::string name, registry, path;
  };
  const std::vector<Row> rows = {
      {"debian", "docker.io", "library/debian"},
      {"library/debian", "docker.io", "library/debian"},
      {"user/repo", "docker.io", "user/repo"},
      {"user/team/repo", "docker.io", "user/team/repo"},
      {"docker.io/debian", "docker.io", "library/debian"},
      {"index.docker.io/debian", "docker.io", "library/debian"},
      {"docker.io/user/repo", "docker.io", "user/repo"},
      {"localhost/x", "localhost", "x"},
      {"localhost:5000/x", "localhost:5000", "x"},
      {"127.0.0.1:5000/base", "127.0.0.1:5000", "base"},
      {"registry.example/a/b", "registry.example", "a/b"},
      {"registry.example/debian", "registry.example", "debian"},
      {"[::1]:5000/x", "[::1]:5000", "x"},
      // `localhost` alone is an image name, and `localhostx` no host.
      {"localhost", "docker.io", "library/localhost"},
      {"localhostx/y", "docker.io", "localhostx/y"},
  };
  for (const auto& row : rows) {
    INFO(row.name);
    const oci::ImageName split = oci::split_name(row.name);
    CHECK(split.registry == row.registry);
    CHECK(split.path == row.path);
  }
}
