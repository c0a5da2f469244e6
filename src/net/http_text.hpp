// Small text helpers shared by the HTTP clients: header-name comparison,
// sizes, percent-encoding and Link headers. URLs are read in net/url.hpp,
// secrets masked by net/redact.hpp.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace driftlock::net {

bool equals_ignore_case(std::string_view a, std::string_view b);
std::string lower_ascii(std::string_view text);

// "64 MiB", "1 KiB", "1500 bytes": exact, never rounded, so messages are stable.
std::string format_byte_size(std::size_t bytes);

// Every byte but RFC 3986's unreserved ones (A-Z a-z 0-9 - . _ ~) as %XX, so
// the text is one query value or one path segment ("a/b" -> "a%2Fb").
std::string percent_encode(std::string_view text);

// The target of the `rel="next"` link in a Link header (RFC 8288), e.g.
// `<https://api.example/items?page=2>; rel="next", <…>; rel="last"`; nullopt
// when there is none (the last page).
std::optional<std::string> next_link(std::string_view link_header);

}  // namespace driftlock::net
