#include "core/dependency.hpp"

#include <re2/re2.h>

namespace driftlock {

bool is_content_digest(std::string_view text) {
  // The OCI image spec states its digest grammar as a regular expression.
  static const RE2 oci(R"([a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+)");
  static const RE2 sri(R"((?:sha256|sha384|sha512)-[A-Za-z0-9+/]+={0,2})");
  const re2::StringPiece piece(text.data(), text.size());
  return RE2::FullMatch(piece, oci) || RE2::FullMatch(piece, sri);
}

}  // namespace driftlock
