// Debian archive indexes: Packages (plain, gzip, xz; streamed in chunks) and
// Release. The first byte picks the compression and the chunk size.
#include <algorithm>
#include <array>

#include "ecosystems/debian/packages_index.hpp"
#include "fuzz_input.hpp"

using namespace driftlock;
namespace debian = driftlock::ecosystems::debian;

namespace {

// The stanzas of `text` fed `chunk` bytes at a time; the count or the error.
std::string stanzas_in_chunks(std::string_view text, std::size_t chunk) {
  std::size_t count = 0;
  debian::StanzaParser parser("Packages", ErrorKind::infrastructure, [&](debian::Stanza&&) {
    ++count;
    return Result<void>{};
  });
  for (std::size_t at = 0; at < text.size(); at += chunk) {
    if (auto fed = parser.feed(text.substr(at, chunk)); !fed) {
      return render(fed.error());
    }
  }
  if (auto done = parser.finish(); !done) {
    return render(done.error());
  }
  return std::to_string(count);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const auto text = fuzz::as_text(data + 1, size - 1);
  const auto compression =
      std::array{debian::Compression::none, debian::Compression::none, debian::Compression::gzip,
                 debian::Compression::xz}[data[0] % 4];
  (void)debian::read_packages(text, compression, "Packages", [](debian::PackageEntry&&) {});
  if (compression == debian::Compression::none) {
    // Streaming must not change the answer: chunk edges fall anywhere.
    const std::size_t chunk = std::max<std::size_t>(1, data[0] >> 2);
    fuzz::check(stanzas_in_chunks(text, chunk) == stanzas_in_chunks(text, text.size() + 1));
    if (const auto files = debian::parse_release(text, "Release")) {
      (void)debian::choose_packages_file(*files, "main", "amd64");
    }
    (void)debian::parse_stanzas(text, "sources", ErrorKind::input,
                                debian::StanzaParser::Comments::allow);
  }
  return 0;
}
