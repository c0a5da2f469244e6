# Third-party libraries, all from Debian bookworm's -dev packages (tools/install-deps).
# Wrapped once here as driftlock::deps so targets name a single dependency.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(CURL REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(pugixml REQUIRED)
find_package(ZLIB REQUIRED)
find_package(LibLZMA REQUIRED)
find_package(OpenSSL REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)

add_library(driftlock_deps INTERFACE)
add_library(driftlock::deps ALIAS driftlock_deps)
target_link_libraries(driftlock_deps INTERFACE
  CURL::libcurl nlohmann_json::nlohmann_json SQLite::SQLite3 tomlplusplus::tomlplusplus
  CLI11::CLI11 fmt::fmt pugixml::pugixml ZLIB::ZLIB LibLZMA::LibLZMA OpenSSL::Crypto
  PkgConfig::RE2 Threads::Threads)

# cpp-httplib is header-only and used by tests only (loopback fault servers).
pkg_check_modules(HTTPLIB IMPORTED_TARGET cpp-httplib)
