#include "bisect/ledger.hpp"

namespace driftlock::bisect {

Observation& Ledger::slot(const Bits& set) {
  auto [it, inserted] = m_index.try_emplace(set, m_observations.size());
  if (inserted) m_observations.push_back(Observation{set, 0, 0, 0, {}});
  return m_observations[it->second];
}

bool Ledger::record(const Bits& set, Outcome outcome, std::size_t probe_number) {
  bool contradiction = false;
  if (outcome == Outcome::pass) {
    // A pass refutes every earlier failure inside it.
    for (const Observation& o : m_observations) {
      if (o.fails > 0 && o.set.subset_of(set)) contradiction = true;
    }
  } else if (outcome == Outcome::fail) {
    contradiction = refuted(set);
  }
  Observation& o = slot(set);
  o.probes.push_back(probe_number);
  if (outcome == Outcome::pass) ++o.passes;
  if (outcome == Outcome::fail) ++o.fails;
  if (outcome == Outcome::unresolved) ++o.unresolved;
  if (contradiction) ++m_contradictions;
  return contradiction;
}

void Ledger::record_given(const Bits& set, Outcome outcome, int runs) {
  Observation& o = slot(set);
  if (outcome == Outcome::pass) o.passes += runs;
  if (outcome == Outcome::fail) o.fails += runs;
}

const Observation* Ledger::find(const Bits& set) const {
  auto it = m_index.find(set);
  return it == m_index.end() ? nullptr : &m_observations[it->second];
}

int Ledger::runs(const Bits& set) const {
  const Observation* o = find(set);
  return o == nullptr ? 0 : o->passes + o->fails + o->unresolved;
}

int Ledger::fail_runs(const Bits& set) const {
  const Observation* o = find(set);
  return o == nullptr ? 0 : o->fails;
}

const Observation* Ledger::pass_witness(const Bits& set) const {
  for (const Observation& o : m_observations) {
    if (o.passes > 0 && set.subset_of(o.set)) return &o;
  }
  return nullptr;
}

bool Ledger::refuted(const Bits& set) const {
  return pass_witness(set) != nullptr;
}

bool Ledger::observed_pass(const Bits& set) const {
  const Observation* o = find(set);
  return o != nullptr && o->passes > 0;
}

Known Ledger::status(const Bits& set, int fails_needed) const {
  if (pass_witness(set) != nullptr) return Known::pass;
  const Observation* exact = find(set);
  if (exact != nullptr && exact->fails >= fails_needed) return Known::fail;
  for (const Observation& o : m_observations) {
    if (o.fails >= fails_needed && o.set.subset_of(set) && !refuted(o.set)) return Known::fail;
  }
  if (exact != nullptr && exact->fails > 0) return Known::unconfirmed;
  if (exact != nullptr && exact->unresolved > 0) return Known::unresolved;
  return Known::unknown;
}

int Ledger::implicating_fails(const Bits& members) const {
  int total = 0;
  for (const Observation& o : m_observations) {
    if (o.fails == 0 || !members.subset_of(o.set) || refuted(o.set)) continue;
    if (status(o.set - members, 1) == Known::pass) total += o.fails;
  }
  return total;
}

}  // namespace driftlock::bisect
