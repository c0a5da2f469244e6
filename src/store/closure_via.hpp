// Through which named packages each transitive package of an image came, as
// the last closure capture saw it (`driftlock report` and the run's comment
// say it). Not in the snapshot: its keys are contract.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/closure.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "store/database.hpp"

namespace driftlock::store {

class ClosureViaLog {
 public:
  explicit ClosureViaLog(Database& database) : m_database(&database) {}

  // Replaces the image's rows of every ecosystem in `ecosystems` with the
  // entries of `via` in that ecosystem (entries of other ecosystems are
  // left out). One transaction.
  Result<void> replace(std::string_view image, std::span<const std::string> ecosystems,
                       const ClosureVia& via, Timestamp now);

  // Every row of the image; a row whose via is not a JSON array of strings
  // (damage) is left out.
  Result<ClosureVia> for_image(std::string_view image);

 private:
  Database* m_database;
};

}  // namespace driftlock::store
