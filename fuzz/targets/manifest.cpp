// The manifest (driftlock.toml) reader, with every ecosystem's rules.
#include "core/manifest.hpp"
#include "ecosystems/registry.hpp"
#include "fuzz_input.hpp"

using namespace driftlock;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto manifest =
      parse_manifest(fuzz::as_text(data, size), "/fuzz/driftlock.toml", ecosystems::all());
  if (!manifest) {
    (void)render(manifest.error());
  }
  return 0;
}
