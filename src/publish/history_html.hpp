// Renders `driftlock history --html FILE`: one self-contained page (inline
// CSS and SVG, no scripts, nothing fetched) with the timeline of runs, the
// drift per run (changes and builds), and per run a picture of its probes:
// which subsets were built, in which round of the culprit search, with which
// outcome, and which changes were blamed or cleared. Plain rows, like
// history_render.hpp, so publish stays independent of the store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/outcome.hpp"
#include "publish/history_render.hpp"

namespace driftlock::publish {

// One build a run asked for, as its probe log recorded it (docs/state.md).
struct HistoryProbe {
  std::int64_t seq = 0;             // 1, 2... within the run
  std::vector<std::size_t> subset;  // indices into the run's changes
  int attempt = 0;                  // > 0: a confirmation re-run of the same subset
  Outcome outcome = Outcome::pass;
  std::string purpose;
  bool built = true;         // false: recalled from the memo
  std::optional<int> round;  // the search's round; 0: outside it; nullopt: not recorded
};

struct HistoryPage {
  std::string image;  // the manifest's image, for the title
  History history;    // runs newest first (their summaries name the changes)
  std::map<std::int64_t, std::vector<HistoryProbe>> probes;  // by run id, in seq order
};

std::string render_history_html(const HistoryPage& page);

// Text for HTML content and attribute values: &, <, >, " and ' as character
// references; control characters other than tab and line breaks, which HTML
// does not allow, become U+FFFD.
std::string escape_html(std::string_view text);

}  // namespace driftlock::publish
