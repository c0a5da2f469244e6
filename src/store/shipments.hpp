// The shipping journal: each step of shipping a candidate (stage the
// snapshot, push, write it, commit it) is recorded before the next begins,
// so a run killed between a push and the snapshot's write leaves a record
// the next run finishes from, instead of an image no snapshot names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "store/database.hpp"

namespace driftlock::store {

// staged: the new snapshot is fsynced beside the old, nothing irreversible yet;
// pushing: the push command started (the registry may or may not have it);
// pushed: the push succeeded, the snapshot not yet renamed into place;
// written: the snapshot is in place, not yet committed to git;
// done: committed (or nothing to commit); abandoned: given up, see the run.
enum class ShipmentStep { staged, pushing, pushed, written, done, abandoned };

std::string_view to_string(ShipmentStep step);

struct Shipment {
  std::int64_t id = 0;  // assigned by ShipmentLog::begin
  std::optional<std::int64_t> run_id;
  std::string image;
  std::string snapshot;      // the snapshot file's path
  std::string candidate_id;  // the candidate shipped
  // The snapshot file's bytes when the shipment began (nullopt: there was
  // none), so a later finish never overwrites a snapshot changed since.
  std::optional<std::string> previous;
  std::string content;  // the snapshot to write
  std::string message;  // the git commit message
  ShipmentStep step = ShipmentStep::staged;
  Timestamp started{};
  Timestamp updated{};

  friend bool operator==(const Shipment&, const Shipment&) = default;
};

class ShipmentLog {
 public:
  explicit ShipmentLog(Database& database) : m_database(&database) {}

  // Records `shipment` (its id is ignored) and returns its id.
  Result<std::int64_t> begin(const Shipment& shipment);

  Result<void> advance(std::int64_t id, ShipmentStep step, Timestamp now);

  // Every shipment neither done nor abandoned, oldest first.
  Result<std::vector<Shipment>> unfinished();

 private:
  Database* m_database;
};

}  // namespace driftlock::store
