#include "support/bisect_replay.hpp"

namespace driftlock::bisect {

std::vector<Outcome> RecordingOracle::probe(std::span<const ProbeRequest> batch) {
  std::vector<Outcome> out = m_inner.probe(batch);
  for (std::size_t i = 0; i < batch.size() && i < out.size(); ++i) {
    m_record.push_back(RecordedProbe{batch[i], out[i]});
  }
  return out;
}

ReplayOracle::ReplayOracle(const std::vector<RecordedProbe>& record, Oracle* inner)
    : m_inner(inner) {
  for (const RecordedProbe& r : record) {
    // An infrastructure error is not an outcome worth keeping: retry it.
    if (r.outcome != Outcome::error) m_known[{r.request.subset, r.request.run}] = r.outcome;
  }
}

std::vector<Outcome> ReplayOracle::probe(std::span<const ProbeRequest> batch) {
  std::vector<Outcome> out(batch.size(), Outcome::error);
  std::vector<ProbeRequest> missing;
  std::vector<std::size_t> where;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto it = m_known.find({batch[i].subset, batch[i].run});
    if (it != m_known.end()) {
      out[i] = it->second;
      ++m_replayed;
    } else {
      missing.push_back(batch[i]);
      where.push_back(i);
    }
  }
  if (!missing.empty() && m_inner != nullptr) {
    std::vector<Outcome> fresh = m_inner->probe(missing);
    for (std::size_t k = 0; k < where.size() && k < fresh.size(); ++k) {
      out[where[k]] = fresh[k];
      m_known[{missing[k].subset, missing[k].run}] = fresh[k];
      ++m_forwarded;
    }
  }
  return out;
}

}  // namespace driftlock::bisect
