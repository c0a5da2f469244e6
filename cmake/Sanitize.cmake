# DRIFTLOCK_SANITIZE: every target (library, tool, tests, fuzz targets) built
# with AddressSanitizer and UndefinedBehaviorSanitizer; any report stops the
# program (-fno-sanitize-recover), so a finding fails its test. libstdc++'s
# assertions add bounds checks on operator[], front(), back() and friends.
# Used by the "sanitize" preset (CMakePresets.json) and tools/test-sanitizers.
option(DRIFTLOCK_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(DRIFTLOCK_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined -D_GLIBCXX_ASSERTIONS)
  add_link_options(-fsanitize=address,undefined)
endif()
