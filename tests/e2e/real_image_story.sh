#!/usr/bin/env bash
# End-to-end: the real image's story (examples/real-image, issue 8), with a
# Debian base image in a loopback registry (docker-registry), an apt package
# from a loopback apt repository and two PyPI packages from a loopback index,
# built, tested and pushed with buildah. Servers and storage are made here
# (tools/e2e/lib.sh) and removed at the end, also when a check fails.
#
# Baseline: base:stable, dl-hello 1.0.0 (apt), dl-greet 1.0.0, dl-calc 1.0.0
# (PyPI), snapshot from `driftlock resolve -o`, committed to a git repository.
# Updates: the base moves (new digest, harmless), dl-hello 1.1.0, dl-greet
# 1.1.0 (harmless), dl-calc 2.0.0 (renames add(): breaks the image's test).
#   1. before: the registry has no real-image:latest;
#   2. run: exit 1; dl-calc 1.0.0 -> 2.0.0 is the only culprit; the snapshot
#      pins the safe updates and holds dl-calc 2.0.0; driftlock's commit lists
#      the changes; every pushed candidate passed and none has dl-calc 2.0.0;
#      the registry serves the last pushed digest; stderr has a start and an
#      end line per probe;
#   3. run again: exit 0, "no drift", no probe started, nothing pushed;
#   4. check on a branch whose Containerfile gained a harmless RUN line: exit
#      0, the image built from the pinned snapshot (dl-calc 1.0.0) with that
#      line's effect; nothing pushed, the registry unchanged, no commit;
#   5. check on a branch whose Containerfile breaks the image (removes gzip):
#      exit 1, nothing pushed.
#   DRIFTLOCK=path/to/driftlock tests/e2e/real_image_story.sh
# Needs root and tools/install-deps (buildah, docker-registry, the cached
# Debian base). KEEP_WORK=1 keeps the work folder; E2E_TIME_LIMIT (default
# 840 s) ends the test, with cleanup, before ctest's timeout would.
set -euo pipefail

# shellcheck source=tests/e2e/real_image_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/real_image_lib.sh"
ri_setup real_image_story

# --- setup ---------------------------------------------------------------------------
ri_step "servers, Debian base, baseline fixtures"
ri_servers
base="$(e2e_base_debian "$E2E_REGISTRY" base:stable)"
e2e_real_image_fixtures baseline
project="$work/project"
e2e_real_image_project "$project"
e2e_real_image_baseline "$project" "$driftlock"
snapshot="$project/snapshots/real-image.lock.json"
ri_git_init "real-image at its baseline"

ri_step "updates published"
e2e_real_image_fixtures updates
base_moved="$(e2e_registry_digest "$E2E_REGISTRY" base stable)"
reg_base="$E2E_REGISTRY/base"

# Helpers over the snapshot, the run JSON and the pushed records.
pin_of() { # LOCK ECO NAME: the version (OCI: the digest) the lock pins, or "missing"
  jq -r --arg e "$2" --arg n "$3" \
    '[.dependencies[] | select(.ecosystem == $e and .name == $n)
      | if $e == "oci" then .digest else .version end][0] // "missing"' "$1"
}
pins_of() { # LOCK: "base=<digest> dl-hello=V dl-greet=V dl-calc=V"
  echo "base=$(pin_of "$1" oci "$reg_base") dl-hello=$(pin_of "$1" debian dl-hello)" \
    "dl-greet=$(pin_of "$1" pypi dl-greet) dl-calc=$(pin_of "$1" pypi dl-calc)"
}
registry_latest() { e2e_registry_digest "$E2E_REGISTRY" real-image latest 2>/dev/null || echo absent; }
pushed_locks_without_calc_2() {
  local lock
  for lock in "$project"/pushed/*.lock.json; do
    [ -e "$lock" ] || continue
    [ "$(pin_of "$lock" pypi dl-calc)" != 2.0.0 ] || {
      echo "    $lock pins dl-calc 2.0.0"
      return 1
    }
  done
}
# Candidate ids of the probes that ended with OUTCOME, from the progress
# lines: "probe N/≈M started: ... [candidate ID]" and "probe N/≈M OUTCOME after".
candidates_with_outcome() { # OUTCOME ERRFILE
  awk -v want="$1" '
    match($0, /^driftlock: probe [0-9]+\/≈[0-9]+ started: .*\[candidate [^]]+\]$/) {
      split($3, p, "/"); id = $0; sub(/.*\[candidate /, "", id); sub(/\]$/, "", id); cand[p[1]] = id }
    $0 ~ /^driftlock: probe [0-9]+\/≈[0-9]+ [a-z]+ after / {
      split($3, p, "/"); if ($4 == want && (p[1] in cand)) print cand[p[1]] }' "$2" | sort -u
}
every_push_passed() {
  local id digest passed_ids
  passed_ids="$(candidates_with_outcome pass "$err")"
  while read -r id digest; do
    grep -qxF "$id" <<<"$passed_ids" || {
      echo "    pushed candidate $id ($digest) has no 'pass' progress line; passing candidates: ${passed_ids//$'\n'/ }"
      return 1
    }
  done <"$project/pushed.log"
}
message_lists() { # TEXT...: a line of the last commit message contains every TEXT
  local line ok
  while IFS= read -r line; do
    ok=1
    for text in "$@"; do [[ "$line" == *"$text"* ]] || ok=0; done
    [ "$ok" -eq 0 ] || return 0
  done < <(ri_git log -1 --format=%B)
  return 1
}

# --- 1. before -------------------------------------------------------------------------
check_eq "before: the registry has no real-image:latest" absent "$(registry_latest)"
check "before: the base moved (new digest behind base:stable)" [ "$base_moved" != "$base" ]

# --- 2. the gated run ----------------------------------------------------------------------
ri_step "run (4 changes, dl-calc 2.0.0 breaks the image)"
commits_before="$(ri_commits)"
ri_driftlock run run --format json
check_eq "run: exit 1 (culprits named, the rest shipped)" 1 "$status"
check_eq "run: status shipped_partially" shipped_partially "$(jq -r .status "$out" 2>/dev/null)"
check_eq "run: exactly one culprit: pypi dl-calc 1.0.0 -> 2.0.0" \
  "pypi dl-calc 1.0.0 2.0.0" \
  "$(jq -r '[.culprits[].changes[] | "\(.ecosystem) \(.name) \(.from) \(.to)"] | join(", ")' "$out" 2>/dev/null)"
check_eq "run: every other change is shipped (debian dl-hello, oci base, pypi dl-greet)" \
  "debian dl-hello shipped, oci $reg_base shipped, pypi dl-calc culprit, pypi dl-greet shipped" \
  "$(jq -r '[.changes[] | "\(.ecosystem) \(.name) \(.result)"] | join(", ")' "$out" 2>/dev/null)"
check_eq "run: the culprit's failing JUnit test is pypi.dl-calc.add, and only that" "pypi.dl-calc.add" \
  "$(jq -r '[.culprits[0].failing_tests[]?] | join(", ")' "$out" 2>/dev/null)"
check_eq "run: snapshot pins the moved base, dl-hello 1.1.0, dl-greet 1.1.0, dl-calc 1.0.0" \
  "base=$base_moved dl-hello=1.1.0 dl-greet=1.1.0 dl-calc=1.0.0" "$(pins_of "$snapshot")"
check_eq "run: snapshot holds exactly pypi dl-calc 2.0.0" "pypi dl-calc 2.0.0" \
  "$(jq -r '[.held[] | "\(.ecosystem) \(.name) \(.version)"] | join(", ")' "$snapshot")"
check "run: the held entry has a reason" jq -e '.held[0].reason | length > 0' "$snapshot" >/dev/null
check_eq "run: one new commit" "$((commits_before + 1))" "$(ri_commits)"
check "run: the commit message lists debian dl-hello 1.0.0 -> 1.1.0" message_lists dl-hello 1.0.0 1.1.0
check "run: the commit message lists pypi dl-greet 1.0.0 -> 1.1.0" message_lists dl-greet 1.0.0 1.1.0
check "run: the commit message lists the base image" message_lists "$reg_base"
check "run: the commit message holds back dl-calc 2.0.0" message_lists dl-calc 2.0.0
check_eq "run: the snapshot is committed (git status clean)" "" "$(ri_git status --porcelain)"
pushes="$(ri_pushed_count)"
check "run: at least one push (pushed.log)" [ "$pushes" -ge 1 ]
check "run: every pushed candidate is one whose probe passed" every_push_passed
check "run: no pushed lock pins dl-calc 2.0.0" pushed_locks_without_calc_2
last_id="$(tail -n 1 "$project/pushed.log" 2>/dev/null | cut -d' ' -f1)"
last_digest="$(tail -n 1 "$project/pushed.log" 2>/dev/null | cut -d' ' -f2)"
check_eq "run: the last pushed candidate pins what the snapshot pins" "$(pins_of "$snapshot")" \
  "$(pins_of "$project/pushed/$last_id.lock.json" 2>/dev/null)"
check_eq "run: the registry's real-image:latest is the last pushed digest" "$last_digest" "$(registry_latest)"
started="$(ri_started "$err")"
check "run: stderr has probe start lines (got $started)" [ "$started" -ge 3 ]
check_eq "run: one end line per started probe" "$started" "$(ri_finished "$err")"
check_eq "run: started probes = builds in the report" "$started" "$(jq -r .builds "$out" 2>/dev/null)"
check "run: a probe failed and a probe passed" [ "$(ri_finished_with fail "$err")" -ge 1 -a "$(ri_finished_with pass "$err")" -ge 1 ]
# shellcheck disable=SC2016 # bash -c scripts take their arguments as $1
check "run: every end line names its log" bash -c '! grep -E "^driftlock: probe .* after " "$1" | grep -v "(log: " >/dev/null' _ "$err"
ri_show_if_failed
echo "    probes: $(jq -c '[.probes[]? | {n: .number, r: .round, s: .subset, o: .outcome}]' "$out" 2>/dev/null)"
echo "    builds $(jq -r .builds "$out" 2>/dev/null), pushes $pushes"

# --- 3. nothing new ---------------------------------------------------------------------------
ri_step "second run (no drift)"
cp "$snapshot" "$work/snapshot.after-run"
commits_before="$(ri_commits)"
registry_before="$(registry_latest)"
ri_driftlock second run
check_eq "second run: exit 0" 0 "$status"
check "second run: says 'no drift'" grep -qi 'no drift' "$out"
check_eq "second run: no probe started (stderr 'started:' lines)" 0 "$(ri_started "$err")"
check_eq "second run: nothing pushed" "$pushes" "$(ri_pushed_count)"
check_eq "second run: the registry's digest is unchanged" "$registry_before" "$(registry_latest)"
check "second run: snapshot unchanged" cmp -s "$snapshot" "$work/snapshot.after-run"
check_eq "second run: no commit" "$commits_before" "$(ri_commits)"
ri_show_if_failed

# --- 4. check on a branch that changes the image builder -------------------------------------------
ri_step "check on a branch with a harmless Containerfile change"
ri_git checkout -q -b builder-change
cat >>"$project/Containerfile" <<'EOF'
# A change to the image builder, tested by `driftlock check` on its branch.
RUN echo "builder change" >/opt/real-image/builder-change
EOF
ri_git commit -q -am "Containerfile: one more RUN step"
commits_before="$(ri_commits)"
ri_driftlock check check --format json
check_eq "check: exit 0" 0 "$status"
check_eq "check: status passed" passed "$(jq -r .status "$out" 2>/dev/null)"
check_eq "check: one probe started" 1 "$(ri_started "$err")"
check_eq "check: nothing pushed (pushed.log)" "$pushes" "$(ri_pushed_count)"
check_eq "check: the registry's digest is unchanged" "$registry_before" "$(registry_latest)"
check_eq "check: no commit" "$commits_before" "$(ri_commits)"
check "check: snapshot unchanged" cmp -s "$snapshot" "$work/snapshot.after-run"
# The image check built: the branch's Containerfile, the snapshot's pins.
check_id="$(sed -n 's/^driftlock: probe .* started: .*\[candidate \([^]]*\)\]$/\1/p' "$err" | head -n 1)"
check_tag="$(buildah images --format '{{.Name}}:{{.Tag}}' 2>/dev/null | grep -F ":$check_id" | head -n 1 || true)"
if [ -n "$check_id" ] && [ -n "$check_tag" ]; then
  container="$(buildah from --pull=never -q "$check_tag")"
  # shellcheck disable=SC2016
  inside="$(buildah run "$container" -- sh -c 'cat /opt/real-image/builder-change;
    dpkg-query -W -f "dl-hello=\${Version}\n" dl-hello;
    python3 -c "import importlib.metadata as m; print(\"dl-greet=\" + m.version(\"dl-greet\")); print(\"dl-calc=\" + m.version(\"dl-calc\"))"' 2>&1 | paste -sd ' ' - || true)"
  buildah rm "$container" >/dev/null 2>&1 || true
  check_eq "check: its image has the branch's RUN step and the snapshot's pins" \
    "builder change dl-hello=1.1.0 dl-greet=1.1.0 dl-calc=1.0.0" "$inside"
else
  check "check: its image ($check_id) is in the build storage" false
fi
ri_show_if_failed

ri_step "check on a branch whose Containerfile breaks the image"
ri_git checkout -q -b builder-breaks main
cat >>"$project/Containerfile" <<'EOF'
# This change breaks the image: its test needs gzip.
RUN rm -f /bin/gzip /usr/bin/gzip
EOF
ri_git commit -q -am "Containerfile: drop gzip"
ri_driftlock check-broken check --format json
check_eq "broken check: exit 1" 1 "$status"
check_eq "broken check: status failed" failed "$(jq -r .status "$out" 2>/dev/null)"
check "broken check: the output quotes the failing test base.tools (gzip is missing)" \
  grep -q 'base\.tools: gzip is missing' "$out"
check_eq "broken check: nothing pushed (pushed.log)" "$pushes" "$(ri_pushed_count)"
check_eq "broken check: the registry's digest is unchanged" "$registry_before" "$(registry_latest)"
ri_show_if_failed

ri_finish
