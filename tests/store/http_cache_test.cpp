#include "store/http_cache.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <random>

#include "store/schema.hpp"
#include "store/support.hpp"

using namespace driftlock;
using namespace driftlock::store;
using namespace std::chrono_literals;
using driftlock::store_test::ok;
using driftlock::store_test::TempFolder;

namespace {

Database open_migrated(const TempFolder& folder) {
  auto database = open_state_database(folder / "state.db");
  REQUIRE(database);
  return std::move(*database);
}

const Timestamp kT0{std::chrono::seconds(1'700'000'000)};

// Registry-like JSON: repetitive structure plus incompressible hex digests.
std::string packument(std::size_t target_size) {
  std::mt19937_64 random(42);
  std::string body = "{\"name\":\"example\",\"versions\":{";
  for (int i = 0; body.size() < target_size; ++i) {
    body += "\"1." + std::to_string(i) + ".0\":{\"dist\":{\"shasum\":\"";
    for (int j = 0; j < 4; ++j) body += fmt::format("{:016x}", random());
    body += "\",\"tarball\":\"http://registry.example/example/-/example-1." + std::to_string(i) +
            ".0.tgz\"},\"dependencies\":{\"left-pad\":\"^1.0.0\"}},";
  }
  body += "\"end\":{}}}";
  return body;
}

std::string stored_encoding(Database& database, std::string_view url) {
  auto select = database.prepare("SELECT encoding, length(body) FROM http_cache WHERE url = ?1");
  REQUIRE(select);
  select->bind(1, url);
  auto row = select->step();
  REQUIRE(row);
  REQUIRE(*row);
  return select->column_text(0);
}

}  // namespace

TEST_CASE("cache entries round-trip", "[store][cache]") {
  TempFolder folder;
  Database database = open_migrated(folder);
  HttpCache cache(database);

  CHECK(ok(cache.get("http://registry.example/a")) == std::nullopt);

  const std::vector<CachedResponse> entries = {
      {"http://registry.example/a", "\"abc\"", "Tue, 01 Oct 2024 10:00:00 GMT", "application/json",
       "{\"small\":true}", kT0},
      {"http://registry.example/b", std::nullopt, std::nullopt, std::nullopt, "", kT0 + 5s},
      {"http://registry.example/c", "W/\"weak\"", std::nullopt, "text/plain",
       std::string("binary\0\xff\xfe", 9) + std::string(1000, 'z'), kT0 + 10s},
  };
  for (const CachedResponse& entry : entries) REQUIRE(cache.put(entry));
  for (const CachedResponse& entry : entries) {
    INFO(entry.url);
    auto got = cache.get(entry.url);
    REQUIRE(got);
    REQUIRE(*got);
    CHECK(**got == entry);
  }
  CHECK(stored_encoding(database, entries[0].url) == "identity");  // too small to compress
  CHECK(stored_encoding(database, entries[2].url) == "zlib");
}

TEST_CASE("a 5 MB body round-trips compressed", "[store][cache]") {
  TempFolder folder;
  Database database = open_migrated(folder);
  HttpCache cache(database);
  const CachedResponse entry{
      "http://registry.example/big", "\"v1\"", std::nullopt, "application/json",
      packument(5u << 20),           kT0};
  REQUIRE(entry.body.size() >= 5u << 20);
  REQUIRE(cache.put(entry));
  CHECK(stored_encoding(database, entry.url) == "zlib");

  auto got = cache.get(entry.url);
  REQUIRE(got);
  REQUIRE(*got);
  CHECK((*got)->body.size() == entry.body.size());
  CHECK(**got == entry);
}

TEST_CASE("incompressible bodies are stored as they are", "[store][cache]") {
  TempFolder folder;
  Database database = open_migrated(folder);
  HttpCache cache(database);
  std::mt19937_64 random(7);
  std::string noise(64 * 1024, '\0');
  for (char& c : noise) c = static_cast<char>(random());
  REQUIRE(cache.put(
      {"http://registry.example/noise", std::nullopt, std::nullopt, std::nullopt, noise, kT0}));
  CHECK(stored_encoding(database, "http://registry.example/noise") == "identity");
  auto got = cache.get("http://registry.example/noise");
  REQUIRE(got);
  REQUIRE(*got);
  CHECK((*got)->body == noise);
}

TEST_CASE("put replaces, refresh updates validators and time only", "[store][cache]") {
  TempFolder folder;
  Database database = open_migrated(folder);
  HttpCache cache(database);
  const std::string url = "http://registry.example/pkg";
  REQUIRE(cache.put({url, "\"1\"", "Mon, 30 Sep 2024 10:00:00 GMT", "application/json",
                     std::string(2000, 'a'), kT0}));
  REQUIRE(cache.put(
      {url, "\"2\"", std::nullopt, "application/json", std::string(3000, 'b'), kT0 + 1h}));
  auto got = cache.get(url);
  REQUIRE(got);
  REQUIRE(*got);
  CHECK((*got)->etag == "\"2\"");
  CHECK((*got)->last_modified == std::nullopt);
  CHECK((*got)->body == std::string(3000, 'b'));

  // A 304 without validators keeps the stored ones.
  auto refreshed = cache.refresh(url, kT0 + 2h);
  REQUIRE(refreshed);
  CHECK(*refreshed);
  got = cache.get(url);
  REQUIRE(got);
  CHECK((*got)->fetched_at == kT0 + 2h);
  CHECK((*got)->etag == "\"2\"");
  CHECK((*got)->body == std::string(3000, 'b'));

  // A 304 with a new validator records it.
  REQUIRE(cache.refresh(url, kT0 + 3h, "\"3\"", "Tue, 01 Oct 2024 10:00:00 GMT"));
  got = cache.get(url);
  REQUIRE(got);
  CHECK((*got)->etag == "\"3\"");
  CHECK((*got)->last_modified == "Tue, 01 Oct 2024 10:00:00 GMT");

  auto missing = cache.refresh("http://registry.example/never", kT0);
  REQUIRE(missing);
  CHECK_FALSE(*missing);
}

TEST_CASE("erase and prune remove entries", "[store][cache]") {
  TempFolder folder;
  Database database = open_migrated(folder);
  HttpCache cache(database);
  for (int i = 0; i < 5; ++i) {
    REQUIRE(cache.put({"http://registry.example/" + std::to_string(i), std::nullopt, std::nullopt,
                       std::nullopt, "x", kT0 + std::chrono::hours(i)}));
  }
  CHECK(cache.erase("http://registry.example/4") == true);
  CHECK(cache.erase("http://registry.example/4") == false);
  CHECK(cache.prune(kT0 + 2h) == std::size_t{2});  // 0 and 1
  CHECK(ok(cache.get("http://registry.example/1")) == std::nullopt);
  auto kept = cache.get("http://registry.example/2");
  REQUIRE(kept);
  CHECK(kept->has_value());
}

TEST_CASE("a damaged cached body is a miss, not an error", "[store][cache]") {
  TempFolder folder;
  Database database = open_migrated(folder);
  HttpCache cache(database);
  const std::string url = "http://registry.example/pkg";
  REQUIRE(cache.put({url, "\"1\"", std::nullopt, std::nullopt, std::string(5000, 'a'), kT0}));
  REQUIRE(stored_encoding(database, url) == "zlib");

  SECTION("garbage instead of a zlib stream") {
    REQUIRE(database.execute("UPDATE http_cache SET body = x'00112233'"));
  }
  SECTION("a stream longer than the recorded size") {
    REQUIRE(database.execute("UPDATE http_cache SET size = 10"));
  }
  SECTION("an identity body of the wrong size") {
    REQUIRE(database.execute("UPDATE http_cache SET encoding = 'identity'"));
  }
  auto got = cache.get(url);
  REQUIRE(got);
  CHECK_FALSE(got->has_value());
}
