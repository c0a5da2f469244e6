// `driftlock history --html FILE`: the history page (publish/history_html.hpp)
// read from a state folder and written atomically. cmd_history parses the
// options and calls write_history_html; nothing here knows CLI11.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "core/dependency.hpp"
#include "core/error.hpp"
#include "publish/history_html.hpp"

namespace driftlock::cli {

// The newest `limit` runs with their probes, and the newest `limit` culprits,
// from `state_folder`'s state.db. Reads without the run lock (a run may be
// going on) and creates nothing: without a state.db the page says there are
// no runs yet (a state.db of an older schema is migrated, as by any
// command). `held`: the snapshot's held-back versions; nullopt when there is
// no snapshot yet.
Result<publish::HistoryPage> read_history_page(const std::filesystem::path& state_folder,
                                               std::string_view image,
                                               std::optional<std::vector<HeldBack>> held,
                                               std::size_t limit);

// Renders that page into `out_file` atomically: a temporary file beside it,
// renamed over it, so a reader sees the old page or the new one and a
// failure leaves nothing half-written. A folder as `out_file` or a missing
// parent folder is a usage error, reported before anything is read.
Result<void> write_history_html(const std::filesystem::path& state_folder, std::string_view image,
                                std::optional<std::vector<HeldBack>> held, std::size_t limit,
                                const std::filesystem::path& out_file);

}  // namespace driftlock::cli
