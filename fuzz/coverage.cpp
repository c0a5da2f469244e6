// Edge coverage for libFuzzer from g++'s -fsanitize-coverage=trace-pc (see
// fuzz/CMakeLists.txt for why not clang): g++ calls this hook in every basic
// block of instrumented code; libFuzzer reads the section below as extra
// counters.
#include <cstddef>
#include <cstdint>

namespace {

constexpr std::size_t kCounters = 1 << 16;

// The previous location makes the index an edge (from, to), not a block.
thread_local std::uintptr_t t_previous = 0;

}  // namespace

extern "C" {

// libFuzzer finds the array through the linker's __start_/__stop_ symbols of
// this section; it clears the counters before each input.
__attribute__((section("__libfuzzer_extra_counters"), used))
std::uint8_t driftlock_fuzz_counters[kCounters];

__attribute__((no_sanitize("address", "undefined"))) void __sanitizer_cov_trace_pc() {
  const auto pc = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
  const std::uintptr_t location = (pc ^ (pc >> 16) ^ (pc >> 32)) & (kCounters - 1);
  std::uint8_t& counter = driftlock_fuzz_counters[location ^ t_previous];
  if (counter != 255) {  // saturate: a wrap to 0 would hide a hot edge
    ++counter;
  }
  t_previous = location >> 1;
}

}  // extern "C"
