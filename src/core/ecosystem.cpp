#include "core/ecosystem.hpp"

namespace driftlock {

const Ecosystem* find_ecosystem(EcosystemTable table, std::string_view name) {
  for (const Ecosystem& e : table) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

}  // namespace driftlock
