#include "bisect/searcher.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "bisect/explain.hpp"

namespace driftlock::bisect {
namespace {

// Oldest first; undated changes after dated ones; ties by index. Release-time
// cuts ("everything published before T") tend to install together.
Order time_order(std::span<const ChangeInfo> changes) {
  Order order(changes.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& pa = changes[a].published;
    const auto& pb = changes[b].published;
    if (pa.has_value() != pb.has_value()) return pa.has_value();
    return pa.has_value() && *pa < *pb;
  });
  return order;
}

std::string describe(const Bits& set) {
  std::size_t count = set.count();
  return count == 1 ? "1 change" : fmt::format("{} changes", count);
}

}  // namespace

Searcher::Searcher(std::span<const ChangeInfo> changes, Oracle& oracle,
                   const SearchOptions& options)
    : m_changes(changes),
      m_oracle(oracle),
      m_options(options),
      m_n(changes.size()),
      m_max_probes(options.max_probes > 0 ? static_cast<std::size_t>(options.max_probes)
                                          : 8 * changes.size() + 64),
      m_order(time_order(changes)),
      m_rank(changes.size()),
      m_model(changes.size()),
      m_trust(changes.size()),
      m_plan(BudgetPlan::for_changes(changes.size())),
      m_mode(options.flakiness == Flakiness::expect   ? Mode::careful
             : options.flakiness == Flakiness::detect ? Mode::optimistic
                                                      : Mode::trusting),
      m_excluded(changes.size()),
      m_suspected(changes.size()) {
  for (std::size_t r = 0; r < m_order.size(); ++r) m_rank[m_order[r]] = r;
}

Bits Searcher::bits(std::span<const std::size_t> members) const {
  return Bits::of(m_n, members);
}

Order Searcher::in_order(const Bits& set) const {
  Order out;
  for (std::size_t c : m_order) {
    if (set.test(c)) out.push_back(c);
  }
  return out;
}

Order Searcher::cut_members(const Order& candidates, Side side, std::size_t size) const {
  const auto n = static_cast<std::ptrdiff_t>(size);
  if (side == Side::newest) return Order(candidates.end() - n, candidates.end());
  return Order(candidates.begin(), candidates.begin() + n);
}

Result<void> Searcher::ask(const std::vector<ProbeRequest>& batch, const std::vector<Bits>& sets,
                           std::string_view purpose) {
  if (m_probes.size() + batch.size() > m_max_probes) {
    return fail(ErrorKind::infrastructure,
                fmt::format("culprit search gave up: max_probes ({}) reached", m_max_probes));
  }
  ++m_rounds;
  std::vector<Outcome> outcomes = m_oracle.probe(batch);
  if (outcomes.size() != batch.size()) {
    return fail(ErrorKind::infrastructure,
                fmt::format("the oracle returned {} outcomes for a batch of {}", outcomes.size(),
                            batch.size()));
  }
  std::optional<std::size_t> broken;  // index in the batch
  for (std::size_t i = 0; i < batch.size(); ++i) {
    m_probes.push_back(Probe{m_probes.size() + 1, batch[i].subset, batch[i].run, outcomes[i],
                             m_rounds, std::string(purpose)});
    if (outcomes[i] == Outcome::error) {
      if (!broken) broken = i;
      continue;
    }
    if (m_ledger.record(sets[i], outcomes[i], m_probes.size())) m_restart = true;
  }
  if (broken) {
    // An infrastructure failure says nothing about the changes: nothing is blamed.
    std::size_t number = m_probes.size() - batch.size() + *broken + 1;
    return fail(ErrorKind::infrastructure,
                fmt::format("probe #{} ({} applied) failed for infrastructure reasons; culprit "
                            "search aborted without blaming any change",
                            number, describe(sets[*broken])));
  }
  return {};
}

Known Searcher::observed(const Bits& set, int needed) const {
  // Verification needs this very candidate built, not an inference.
  const Observation* seen = m_ledger.find(set);
  if (seen == nullptr) return Known::unknown;
  if (seen->passes > 0 || (seen->fails > 0 && m_ledger.refuted(set))) return Known::pass;
  if (seen->fails >= needed) return Known::fail;
  if (seen->fails > 0) return Known::unconfirmed;
  if (seen->unresolved > 0) return Known::unresolved;
  return Known::unknown;
}

Result<std::vector<Known>> Searcher::settle(const std::vector<Bits>& sets, int needed,
                                            std::string_view purpose, bool exact) {
  std::vector<Known> status(sets.size(), Known::unknown);
  for (;;) {
    std::vector<ProbeRequest> batch;
    std::vector<Bits> batch_sets;
    for (std::size_t i = 0; i < sets.size(); ++i) {
      Known k = exact ? observed(sets[i], needed) : m_ledger.status(sets[i], needed);
      status[i] = k;
      if (k != Known::unknown && k != Known::unconfirmed) continue;
      if (std::find(batch_sets.begin(), batch_sets.end(), sets[i]) != batch_sets.end()) continue;
      batch.push_back(ProbeRequest{sets[i].members(), m_ledger.runs(sets[i])});
      batch_sets.push_back(sets[i]);
    }
    if (batch.empty()) return status;
    const std::size_t jobs = static_cast<std::size_t>(std::max(1, m_options.jobs));
    for (std::size_t start = 0; start < batch.size() && !m_restart; start += jobs) {
      const auto from = static_cast<std::ptrdiff_t>(start);
      const auto to = static_cast<std::ptrdiff_t>(std::min(batch.size(), start + jobs));
      auto asked = ask({batch.begin() + from, batch.begin() + to},
                       {batch_sets.begin() + from, batch_sets.begin() + to}, purpose);
      if (!asked) return std::unexpected(asked.error());
    }
    if (m_restart) return status;
  }
}

TrustState Searcher::trust_state(const Narrowing& state) const {
  std::size_t blamed = 0;
  for (const Found& f : m_found) blamed += f.members.size();
  return TrustState{state.candidates.size(), state.dropped.size(), blamed, state.candidates_fail,
                    m_probes.size()};
}

std::vector<std::size_t> Searcher::ideal_sizes(const Narrowing& state, bool main_search) const {
  const std::size_t x = state.candidates.size();
  const std::size_t jobs = static_cast<std::size_t>(std::max(1, m_options.jobs));
  if (!main_search) return even_sizes(x, state.candidates_fail, jobs);
  if (m_mode == Mode::trusting) return m_trust.sizes(trust_state(state), jobs);
  std::size_t blamed = 0;
  for (const Found& f : m_found) blamed += f.members.size();
  std::vector<std::size_t> ideal = m_model.sizes(
      SplitState{x, state.dropped.size(), m_found.size(), state.candidates_fail}, jobs);
  if (jobs == 1 && m_mode == Mode::optimistic && m_plan && !ideal.empty()) {
    // Small n: the exact plan overrides the weighted split's size where a
    // probe of some placement's target is at stake (plan.hpp).
    const PlanState plan{x,
                         state.dropped.size(),
                         blamed,
                         state.candidates_fail,
                         state.context.empty(),
                         m_probes.size()};
    if (auto planned = m_plan->size(plan, ideal.front())) ideal = {*planned};
  }
  return ideal;
}

std::vector<Searcher::Cut> Searcher::pick_cuts(const Narrowing& state,
                                               const std::vector<std::size_t>& ideal,
                                               Side& side) const {
  const std::size_t x = state.candidates.size();
  const std::size_t hi = state.candidates_fail ? x - 1 : x;
  for (Side s : {Side::oldest, Side::newest, Side::alone}) {
    std::vector<Cut> cuts;
    std::size_t floor = 0;  // nested cuts: sizes strictly increase
    for (std::size_t want : ideal) {
      // The usable size nearest to the wanted one: a cut known to be
      // unresolved is never tried again.
      std::optional<Cut> pick;
      for (std::size_t dist = 0; dist <= hi && !pick; ++dist) {
        for (std::size_t size : {want - std::min(dist, want), want + dist}) {
          if (size <= floor || size > hi) continue;
          Bits set = bits(cut_members(state.candidates, s, size));
          if (s != Side::alone) set |= state.context;
          if (m_ledger.status(set, 1) == Known::unresolved) continue;
          pick = Cut{size, std::move(set)};
          break;
        }
      }
      if (pick) {
        floor = pick->size;
        cuts.push_back(std::move(*pick));
      }
    }
    if (!cuts.empty()) {
      side = s;
      return cuts;
    }
  }
  return {};
}

bool Searcher::apply(Narrowing& state, Side side, const std::vector<Cut>& cuts,
                     const std::vector<Known>& status) const {
  std::optional<std::size_t> failed;
  for (std::size_t k = 0; k < cuts.size() && !failed; ++k) {
    if (status[k] == Known::fail) failed = k;
  }
  std::optional<std::size_t> passed;
  for (std::size_t k = 0; k < (failed ? *failed : cuts.size()); ++k) {
    if (status[k] == Known::pass) passed = k;
  }
  if (side == Side::alone) {
    // Without the context a pass clears nothing the search relies on, except
    // when no failure is known among the candidates; a failure restarts the
    // narrowing from the bare baseline.
    if (failed) {
      Bits failing = bits(cut_members(state.candidates, side, cuts[*failed].size));
      Order next;
      for (std::size_t c : state.candidates) (failing.test(c) ? next : state.dropped).push_back(c);
      state.context = Bits(m_n);
      state.candidates = std::move(next);
      state.candidates_fail = true;
      return true;
    }
    if (passed && !state.candidates_fail) {
      Bits cleared = bits(cut_members(state.candidates, side, cuts[*passed].size));
      std::erase_if(state.candidates, [&](std::size_t c) { return cleared.test(c); });
      return true;
    }
    return false;
  }
  if (!failed && !passed) return false;
  Order below = passed ? cut_members(state.candidates, side, cuts[*passed].size) : Order{};
  Bits below_bits = bits(below);
  state.context |= below_bits;
  if (failed) {
    Bits failing = bits(cut_members(state.candidates, side, cuts[*failed].size));
    Order next;
    for (std::size_t c : state.candidates) {
      if (failing.test(c) && !below_bits.test(c)) next.push_back(c);
      if (!failing.test(c)) state.dropped.push_back(c);
    }
    state.candidates = std::move(next);
    state.candidates_fail = true;
  } else {
    std::erase_if(state.candidates, [&](std::size_t c) { return below_bits.test(c); });
  }
  return true;
}

Result<std::optional<Searcher::End>> Searcher::pair_end(Narrowing& state, std::size_t& member,
                                                        Bits& steering) {
  // Two candidates left: building one of them alone on the baseline both
  // locates the culprit and verifies it when it fails, which saves the
  // separate verification a cut would need. Neither failing alone means an
  // interacting set (or a flake): cut as usual. With parallel jobs both are
  // built in the same round.
  const Bits failing = state.context | bits(state.candidates);
  std::vector<Bits> alone;
  for (std::size_t c : state.candidates) alone.push_back(bits(Order{c}));
  const bool both = m_options.jobs > 1;
  for (std::size_t k = 0; k < 2; ++k) {
    Known known = m_ledger.status(alone[k], fails_needed());
    if (known == Known::pass || known == Known::unresolved) continue;
    std::vector<Bits> asked = {alone[k]};
    if (both && k == 0) asked.push_back(alone[1]);
    auto st = settle(asked, fails_needed(), "narrow: one of the last two, alone");
    if (!st) return std::unexpected(st.error());
    if (m_restart) return End::restart;
    for (std::size_t i = 0; i < st->size(); ++i) {
      if ((*st)[i] != Known::fail) continue;
      member = state.candidates[k + i];
      steering = failing;
      state.dropped.push_back(state.candidates[1 - (k + i)]);
      state.candidates = {member};
      return End::found;
    }
  }
  return std::nullopt;
}

Result<Searcher::End> Searcher::narrow(Narrowing& state, bool main_search, std::string_view purpose,
                                       std::size_t& member, Bits& steering) {
  int fruitless = 0;  // cuts that came back unresolved since the last progress
  for (;;) {
    if (m_restart) return End::restart;
    const std::size_t x = state.candidates.size();
    if (state.candidates_fail && x == 1) {
      member = state.candidates.front();
      steering = state.context | bits(state.candidates);
      return End::found;
    }
    if (!state.candidates_fail && x == 0) return End::none;
    if (main_search && m_mode != Mode::trusting && state.candidates_fail && x == 2) {
      auto end = pair_end(state, member, steering);
      if (!end) return std::unexpected(end.error());
      if (*end) return **end;
    }
    if (main_search && m_mode == Mode::trusting && m_options.jobs > 1 && !state.candidates_fail &&
        m_trust.one_at_a_time(trust_state(state))) {
      bool progress = false;
      auto end = one_at_a_time(state, member, steering, progress);
      if (!end) return std::unexpected(end.error());
      if (*end) return **end;
      if (progress) continue;
    }
    std::vector<std::size_t> ideal = ideal_sizes(state, main_search);
    Side side = Side::oldest;
    std::vector<Cut> cuts = pick_cuts(state, ideal, side);
    if (cuts.empty() || fruitless >= m_options.max_split_attempts) return End::stuck;
    std::vector<Bits> sets;
    for (const Cut& c : cuts) sets.push_back(c.set);
    auto status = settle(sets, fails_needed(), purpose);
    if (!status) return std::unexpected(status.error());
    if (m_restart) return End::restart;
    if (apply(state, side, cuts, *status)) {
      fruitless = 0;
    } else {
      fruitless += static_cast<int>(cuts.size());
    }
  }
}

Result<std::optional<Searcher::End>> Searcher::one_at_a_time(Narrowing& state, std::size_t& member,
                                                             Bits& steering, bool& progress) {
  // Many culprits expected: `jobs` changes, each on the cleared context, in
  // one round. Nested cuts would spend the round's other builds on the same
  // first failure; these resolve one change each. A failure beyond the first
  // is kept in the ledger and makes any later cut holding it fail for free.
  const std::size_t jobs = static_cast<std::size_t>(std::max(1, m_options.jobs));
  const std::size_t take = std::min(jobs, state.candidates.size());
  std::vector<Bits> sets;
  for (std::size_t k = 0; k < take; ++k) {
    sets.push_back(state.context | bits(Order{state.candidates[k]}));
  }
  auto status = settle(sets, 1, "narrow: changes one at a time on the cleared ones");
  if (!status) return std::unexpected(status.error());
  if (m_restart) return End::restart;
  const Bits before = state.context;
  std::optional<std::size_t> failed;
  Order left;
  for (std::size_t k = 0; k < state.candidates.size(); ++k) {
    const std::size_t c = state.candidates[k];
    const Known known = k < take ? (*status)[k] : Known::unknown;
    if (known == Known::pass) {
      state.context.set(c);
      progress = true;
    } else if (known == Known::fail && !failed) {
      failed = c;
      progress = true;
    } else {
      left.push_back(c);
    }
  }
  if (!failed) {
    state.candidates = std::move(left);
    return std::nullopt;
  }
  member = *failed;
  steering = before | bits(Order{member});
  state.dropped.insert(state.dropped.end(), left.begin(), left.end());
  state.candidates = {member};
  state.candidates_fail = true;
  return End::found;
}

Result<bool> Searcher::confirm_alone(const Bits& alone, int runs) {
  auto st = settle({alone}, runs, "confirm: re-run the culprit alone",
                   /*exact=*/true);
  if (!st) return std::unexpected(st.error());
  if (m_restart || (*st)[0] != Known::fail) {
    m_restart = true;
    return false;
  }
  return true;
}

Result<bool> Searcher::confirm_evidence() {
  // Deferred confirmation. A single culprit is blamed once `confirmations`
  // independent failing runs point at it and nothing else explains them; the
  // culprit is re-run alone only when the search did not produce that many.
  // Probes left under the target (bound + d + 2) then go to re-checks, one at
  // a time to the culprit with the fewest such runs: an innocent change looks
  // guilty only when every run that implicates it failed spuriously, so the
  // weakest blame is the likeliest to be wrong (re-checking every culprit in
  // turn can spend the spare on a well-supported one and leave it unchecked).
  const std::size_t jobs = static_cast<std::size_t>(std::max(1, m_options.jobs));
  std::size_t beyond_target = 0;  // bounded: a re-check may keep coming back unresolved
  std::vector<int> rechecked(m_found.size(), 0);
  for (;;) {
    std::size_t blamed = 0;
    for (const Found& f : m_found) blamed += f.members.size();
    const std::size_t target =
        static_cast<std::size_t>(information_bound(m_n, blamed)) + blamed + 2;
    std::size_t spare = target > m_probes.size() ? target - m_probes.size() : 0;
    const Bits rest = Bits(m_n) | (bits(m_order) - m_excluded);
    std::vector<ProbeRequest> batch;
    std::vector<Bits> sets;
    auto add = [&](const Bits& set) {
      if (std::find(sets.begin(), sets.end(), set) != sets.end()) return;
      batch.push_back(ProbeRequest{set.members(), m_ledger.runs(set)});
      sets.push_back(set);
    };
    // (implicating runs, found index) of every single culprit.
    std::vector<std::pair<int, std::size_t>> weak;
    for (std::size_t k = 0; k < m_found.size(); ++k) {
      const Found& f = m_found[k];
      if (f.members.size() != 1 || !f.needs.empty()) continue;
      const int runs = m_ledger.implicating_fails(bits(f.members));
      if (runs < m_options.confirmations) {
        add(bits(f.members));
      } else if (blamed > kManyCulprits && runs < m_options.confirmations + 2 &&
                 beyond_target < 2 * blamed) {
        // Many culprits at once are rarer than a run of spurious failures.
        weak.emplace_back(runs, k);
        if (spare == 0) {
          spare = 1;
          ++beyond_target;
        }
      } else {
        weak.emplace_back(runs, k);
      }
    }
    if (batch.empty()) {
      // Weakest first; among equals the one re-checked least, then in the
      // order found.
      std::sort(weak.begin(), weak.end(), [&](const auto& a, const auto& b) {
        if (a.first != b.first) return a.first < b.first;
        if (rechecked[a.second] != rechecked[b.second]) {
          return rechecked[a.second] < rechecked[b.second];
        }
        return a.second < b.second;
      });
      for (const auto& [runs, k] : weak) {
        if (batch.size() >= std::min(jobs, spare)) break;
        const Found& f = m_found[k];
        // On top of every other change first (a different build than the
        // ones that implicated it), then alone once more.
        const Bits leave_one_in = rest | bits(f.members);
        add(m_ledger.runs(leave_one_in) == 0 ? leave_one_in : bits(f.members));
        ++rechecked[k];
      }
    }
    if (batch.empty()) return true;
    for (std::size_t start = 0; start < batch.size(); start += jobs) {
      std::size_t end = std::min(batch.size(), start + jobs);
      auto asked = ask({batch.begin() + static_cast<std::ptrdiff_t>(start),
                        batch.begin() + static_cast<std::ptrdiff_t>(end)},
                       {sets.begin() + static_cast<std::ptrdiff_t>(start),
                        sets.begin() + static_cast<std::ptrdiff_t>(end)},
                       "confirm: re-check a culprit");
      if (!asked) return std::unexpected(asked.error());
      if (m_restart) return false;
    }
  }
}

bool Searcher::giving_up(Found& out) {
  m_restart = false;
  out.abandoned = true;
  return true;
}

Result<bool> Searcher::isolate(const Bits& context, std::size_t change, const Bits& steering,
                               Found& out) {
  out = Found{};
  out.members = {change};
  out.context = context;
  out.steering = steering;
  if (m_mode == Mode::trusting) {
    // The passing set just below the failing cut (the context itself, unless
    // changes were cleared one at a time beside the culprit).
    out.context = steering;
    out.context.reset(change);
  }
  m_suspected[change] = steering;
  Order rest = in_order(context);  // the passing context, where partners hide
  for (;;) {
    Order applied = out.members;
    applied.insert(applied.end(), out.needs.begin(), out.needs.end());
    const Bits alone = bits(applied);
    const Known known_alone = m_ledger.status(alone, 1);
    if (m_mode == Mode::trusting && known_alone != Known::pass &&
        known_alone != Known::unresolved) {
      // Believed as it stands: the failing cut is the evidence, and building
      // the set alone only to verify it is what trust saves. A partner is
      // searched for only when the ledger shows the set passing alone.
      return true;
    }
    auto st = settle({alone}, fails_needed(), "isolate: the culprit alone on the baseline",
                     /*exact=*/true);
    if (!st) return std::unexpected(st.error());
    if (m_restart) return false;
    if ((*st)[0] == Known::fail) {
      // A single culprit's confirmation is deferred (confirm_evidence);
      // interacting sets are rare enough to confirm at once.
      const bool single = out.members.size() == 1;
      if (single && out.needs.empty() && m_mode == Mode::optimistic) return true;
      return confirm_alone(alone, m_options.confirmations + (single ? 0 : 1));
    }

    // Not failing alone: part of an interacting set, or the failure that
    // exposed it was spurious. The failing cut is re-run before it steers a
    // partner search (interacting sets are rare; flaky tests are not).
    const Bits failing = alone | bits(rest);
    auto inv = settle({failing}, partner_fails_needed(), "confirm: re-run the failing cut");
    if (!inv) return std::unexpected(inv.error());
    if (m_restart) return false;
    if ((*inv)[0] != Known::fail || rest.empty()) {
      m_restart = true;  // cannot happen without contradicting outcomes
      return false;
    }
    if (out.members.size() + out.needs.size() >= kMaxInteracting) {
      // Real interacting sets are small; a long chain of partners is what a
      // run of spurious failures looks like. Only an optimistic search can
      // learn more by starting over carefully (trusted outcomes would replay
      // the same chain).
      if (m_mode != Mode::optimistic) return giving_up(out);
      m_restart = true;
      return false;
    }
    Narrowing partner{alone, rest, true, {}};
    std::size_t found = 0;
    Bits evidence;
    m_in_partner_search = true;
    auto end = narrow(partner, /*main_search=*/false, "partner: which change completes the set",
                      found, evidence);
    m_in_partner_search = false;
    if (!end) return std::unexpected(end.error());
    if (*end == End::restart) return false;
    if (*end == End::found) {
      // A partner whose cut passed without it is blamed with the set; one
      // whose cut only failed to install is what the set needs to install.
      bool real = m_ledger.status(partner.context, fails_needed()) == Known::pass;
      (real ? out.members : out.needs).push_back(found);
      out.member_evidence.push_back(evidence);
      m_suspected[found] = evidence;
    } else {
      // No resolvable cut separates them: they go along as what the set needs.
      out.needs.insert(out.needs.end(), partner.candidates.begin(), partner.candidates.end());
    }
    rest = in_order(partner.context - alone);
  }
}

Result<bool> Searcher::attempt() {
  m_found.clear();
  m_unresolved.clear();
  m_excluded = Bits(m_n);
  m_full_reproduced = true;
  m_rest_verified = false;
  m_restart = false;

  Bits all(m_n);
  for (std::size_t i = 0; i < m_n; ++i) all.set(i);
  auto full = settle({all}, fails_needed(), "full candidate: confirm it fails");
  if (!full) return std::unexpected(full.error());
  if (m_restart) return false;
  if ((*full)[0] == Known::pass) {
    m_full_reproduced = false;
    return true;
  }
  if ((*full)[0] == Known::unresolved) {
    m_unresolved.push_back(m_order);
    m_excluded = all;
    return true;
  }

  Narrowing main{Bits(m_n), m_order, true, {}};
  // After a culprit (or an unseparable group) is held back, the changes set
  // aside along the way are all that is left unknown: are there more?
  auto hold_back = [&](const Order& group) {
    m_excluded |= bits(group);
    main.context -= bits(group);
    std::sort(main.dropped.begin(), main.dropped.end(),
              [&](std::size_t a, std::size_t b) { return m_rank[a] < m_rank[b]; });
    main.candidates = std::move(main.dropped);
    main.dropped.clear();
    main.candidates_fail = false;
  };
  for (;;) {
    std::size_t change = 0;
    Bits steering;
    auto end = narrow(main, /*main_search=*/true, "narrow: release-time cut", change, steering);
    if (!end) return std::unexpected(end.error());
    if (*end == End::restart) return false;
    if (*end == End::none) break;
    if (*end == End::stuck) {
      // No resolvable cut separates these candidates: not blamed, not cleared.
      m_unresolved.push_back(main.candidates);
      if (!main.candidates_fail) {
        m_excluded |= bits(main.candidates);
        break;  // the rest cannot even be checked
      }
      hold_back(Order(main.candidates));
      continue;
    }
    Found found;
    auto ok = isolate(main.context, change, steering, found);
    if (!ok) return std::unexpected(ok.error());
    if (!*ok) return false;
    if (found.abandoned) {
      Order group = found.members;
      group.insert(group.end(), found.needs.begin(), found.needs.end());
      m_unresolved.push_back(group);
      hold_back(group);
      continue;
    }
    hold_back(found.members);
    m_found.push_back(std::move(found));
  }

  // Verification: everything except the culprits passes, built for real.
  const Bits rest = all - m_excluded;
  auto st = settle({rest}, fails_needed(), "verify: every change except the culprits",
                   /*exact=*/true);
  if (!st) return std::unexpected(st.error());
  if (m_restart) return false;
  m_rest_verified = (*st)[0] == Known::pass;

  if (m_mode == Mode::optimistic) {
    auto confirmed = confirm_evidence();
    if (!confirmed) return std::unexpected(confirmed.error());
    if (!*confirmed) return false;
  } else if (m_mode == Mode::careful) {
    // Leave one in: each culprit on top of everything else must still fail,
    // as many times again when that candidate is the culprit alone (nothing
    // else left): a second, independent check.
    for (const Found& f : m_found) {
      Order applied = f.members;
      applied.insert(applied.end(), f.needs.begin(), f.needs.end());
      const Bits check = rest | bits(f.members);
      const int runs = m_options.confirmations * (check == bits(applied) ? 2 : 1);
      auto again = settle({check}, runs, "verify: culprit on top of the rest", /*exact=*/true);
      if (!again) return std::unexpected(again.error());
      if (m_restart || (*again)[0] == Known::pass) {
        m_restart = true;
        return false;
      }
    }
  }
  return true;
}

Result<Verdict> Searcher::run() {
  Bits all(m_n);
  for (std::size_t i = 0; i < m_n; ++i) all.set(i);
  m_ledger.record_given(Bits(m_n), Outcome::pass, 1);
  if (m_options.full_candidate_failures > 0) {
    m_ledger.record_given(all, Outcome::fail, m_options.full_candidate_failures);
  }
  std::size_t probes_at_restart = 0;
  for (;;) {
    auto done = attempt();
    if (!done) return std::unexpected(done.error());
    if (*done) break;
    // A contradiction: the search replays from the start over what it has
    // seen, from now on carefully (every failure must repeat before it
    // counts) unless the caller asked to trust every outcome regardless.
    if (m_mode != Mode::optimistic && m_probes.size() == probes_at_restart) {
      return fail(ErrorKind::infrastructure,
                  "culprit search cannot make sense of the outcomes: they contradict each "
                  "other even when repeated");
    }
    if (m_mode == Mode::optimistic) m_mode = Mode::careful;
    probes_at_restart = m_probes.size();
  }
  return verdict();
}

Verdict Searcher::verdict() const {
  Verdict v;
  v.probes = m_probes;
  v.rounds = m_rounds;
  v.flakiness_seen = m_ledger.contradiction_seen();
  v.full_failure_reproduced = m_full_reproduced;
  v.rest_verified = m_rest_verified;
  ExplainInput in{m_changes, m_found,  m_unresolved,        m_suspected,
                  m_ledger,  m_probes, m_options.flake_rate};
  explain(in, v);
  return v;
}

}  // namespace driftlock::bisect
