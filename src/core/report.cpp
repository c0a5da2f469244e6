#include "core/report.hpp"

namespace driftlock {

bool ReportEntry::has_updates() const {
  if (!current || redigested) return true;
  for (const ReportRelease& release : newer) {
    if (release.exclusion == Exclusion::none) return true;
  }
  return false;
}

}  // namespace driftlock
