// The netrc file pip (through requests) reads for index credentials:
// `machine HOST login USER password SECRET` entries, `#` comments, `macdef`
// blocks (skipped up to the next empty line). Entries apply to their host
// only: `default` entries, which would hand a password to every host, are
// ignored.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace driftlock::net {

struct NetrcEntry {
  std::string machine;
  std::string login;
  std::string password;
};

// The first entry for `host` (compared without case; a port is not part of
// a netrc machine name), or nullopt.
std::optional<NetrcEntry> netrc_entry(std::string_view text, std::string_view host);

}  // namespace driftlock::net
