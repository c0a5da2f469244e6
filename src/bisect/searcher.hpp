// The culprit search as a state machine over a Ledger. Internal to bisect/;
// the public entry point is find_culprits() in search.hpp, which documents the
// strategy.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bisect/bits.hpp"
#include "bisect/ledger.hpp"
#include "bisect/plan.hpp"
#include "bisect/search.hpp"
#include "bisect/split.hpp"
#include "bisect/trust_split.hpp"

namespace driftlock::bisect {

using Order = std::vector<std::size_t>;  // change indices, oldest first

// One culprit set as the search names it.
struct Found {
  Order members;                      // members[0] completed the failing cut; partners follow
  Order needs;                        // applied alongside: the members alone do not install
  Bits steering;                      // the failing cut that exposed members[0]
  Bits context;                       // the passing cut just below it
  std::vector<Bits> member_evidence;  // failing cuts that exposed each partner
  bool abandoned = false;             // too many partners to be believable: reported unresolved
};

class Searcher {
 public:
  Searcher(std::span<const ChangeInfo> changes, Oracle& oracle, const SearchOptions& options);
  Result<Verdict> run();

 private:
  // optimistic: Flakiness::detect before any contradiction; careful: expect,
  // or detect after one; trusting: trust.
  enum class Mode { optimistic, careful, trusting };
  // Cuts take the oldest or newest candidates on top of the context; `alone`
  // (the oldest candidates on the bare baseline) is the last resort when
  // nothing with the context installs.
  enum class Side { oldest, newest, alone };
  enum class End { found, none, stuck, restart };

  struct Narrowing {
    Bits context;                  // known not to fail
    Order candidates;              // the cut is taken from these
    bool candidates_fail = false;  // context + candidates is known to fail
    Order dropped;                 // set aside when a smaller cut failed: still unknown
  };
  struct Cut {
    std::size_t size = 0;
    Bits set;  // context + the cut's changes
  };

  // Interacting sets are rare and flaky tests are not: partner searches
  // want repeated failures unless every outcome is believed.
  int fails_needed() const {
    if (m_mode == Mode::trusting) return 1;
    return m_mode == Mode::careful || m_in_partner_search ? m_options.confirmations : 1;
  }
  int partner_fails_needed() const {
    return m_mode == Mode::trusting ? 1 : m_options.confirmations;
  }
  static constexpr std::size_t kMaxInteracting = 4;
  static constexpr std::size_t kManyCulprits = 3;
  Bits bits(std::span<const std::size_t> members) const;
  Order in_order(const Bits& set) const;
  Order cut_members(const Order& candidates, Side side, std::size_t size) const;

  // Asks the oracle (in rounds of at most `jobs`) until every set has a status
  // with `needed` failing runs behind a failure. Sets the ledger already
  // answers cost nothing; `exact` sets must be observed, not inferred.
  Result<std::vector<Known>> settle(const std::vector<Bits>& sets, int needed,
                                    std::string_view purpose, bool exact = false);
  Known observed(const Bits& set, int needed) const;
  Result<void> ask(const std::vector<ProbeRequest>& batch, const std::vector<Bits>& sets,
                   std::string_view purpose);

  TrustState trust_state(const Narrowing& state) const;
  std::vector<std::size_t> ideal_sizes(const Narrowing& state, bool main_search) const;
  std::vector<Cut> pick_cuts(const Narrowing& state, const std::vector<std::size_t>& ideal,
                             Side& side) const;
  bool apply(Narrowing& state, Side side, const std::vector<Cut>& cuts,
             const std::vector<Known>& status) const;
  Result<End> narrow(Narrowing& state, bool main_search, std::string_view purpose,
                     std::size_t& member, Bits& steering);
  Result<std::optional<End>> pair_end(Narrowing& state, std::size_t& member, Bits& steering);
  Result<std::optional<End>> one_at_a_time(Narrowing& state, std::size_t& member, Bits& steering,
                                           bool& progress);
  Result<bool> isolate(const Bits& context, std::size_t change, const Bits& steering, Found& out);
  Result<bool> confirm_alone(const Bits& alone, int runs);
  bool giving_up(Found& out);
  Result<bool> confirm_evidence();
  Result<bool> attempt();
  Verdict verdict() const;

  std::span<const ChangeInfo> m_changes;
  Oracle& m_oracle;
  SearchOptions m_options;
  std::size_t m_n;
  std::size_t m_max_probes;
  Order m_order;  // every change, oldest first
  std::vector<std::size_t> m_rank;
  SplitModel m_model;
  TrustSplit m_trust;
  std::shared_ptr<const BudgetPlan> m_plan;  // small n only
  Ledger m_ledger;
  Mode m_mode;
  bool m_restart = false;  // an outcome contradicted another during this attempt
  bool m_in_partner_search = false;
  std::vector<Probe> m_probes;
  int m_rounds = 0;

  // Per attempt.
  std::vector<Found> m_found;
  std::vector<Order> m_unresolved;
  Bits m_excluded;  // held back: culprits and unseparable groups
  bool m_full_reproduced = true;
  bool m_rest_verified = false;

  // Across attempts: every change that looked guilty, and the cut that made it look so.
  std::vector<std::optional<Bits>> m_suspected;
};

}  // namespace driftlock::bisect
