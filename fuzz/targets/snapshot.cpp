// The snapshot reader; what it accepts must save and read back the same.
#include "core/snapshot.hpp"
#include "ecosystems/registry.hpp"
#include "fuzz_input.hpp"

using namespace driftlock;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto snapshot =
      parse_snapshot(fuzz::as_text(data, size), "snapshot.json", ecosystems::all());
  if (!snapshot) {
    (void)render(snapshot.error());
    return 0;
  }
  const std::string saved = serialize_snapshot(*snapshot);
  const auto again = parse_snapshot(saved, "saved.json", ecosystems::all());
  fuzz::check(again.has_value());
  fuzz::check(serialize_snapshot(*again) == saved);
  return 0;
}
