#include <catch2/catch.hpp>

#include "core/base64.hpp"

#include <string>
#include <utility>
#include <vector>

using namespace driftlock;

TEST_CASE("base64 round trips and rejects what is not base64", "[core][base64]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"user:pa:ss", "dXNlcjpwYTpzcw=="},
      {std::string("\0\xff\x10", 3), "AP8Q"},
  };
  for (const auto& [plain, encoded] : cases) {
    INFO(encoded);
    CHECK(base64_encode(plain) == encoded);
    CHECK(base64_decode(encoded) == plain);
  }
  CHECK(base64_decode("Zm8") == "fo");  // padding left off
  for (const std::string bad : {"Zm9v!", "Z", "Z===", "Zg==Zg==", "Zm 9v", "Zg=a"}) {
    INFO(bad);
    CHECK_FALSE(base64_decode(bad));
  }
}
