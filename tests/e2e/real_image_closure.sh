#!/usr/bin/env bash
# End-to-end: the whole closure (issue 12). dl-greet (named in the manifest)
# requires dl-sub, which nobody names. Baseline: dl-greet 1.0.0, dl-sub
# 1.0.0, dl-calc 1.0.0 (PyPI), dl-hello 1.0.0 (apt), base:stable. Updates:
# dl-greet 1.1.0 (harmless) and dl-sub 2.0.0 (changes its format: the
# image's dl-greet test fails).
#   1. closure project (examples/real-image + [closure] pypi = ci/closure.sh),
#      first run: exit 0, status closure_captured, the snapshot pins dl-sub
#      1.0.0 "transitive": true, committed, nothing pushed;
#   1b. a copy without a snapshot: `driftlock init --capture` builds once,
#      writes the first snapshot with dl-sub 1.0.0 transitive, commits it,
#      pushes nothing;
#   2. updates published;
#   3. the same scenario without [closure] (a copy at the same baseline):
#      run exits 3, "baseline broken" (the baseline installs dl-sub 2.0.0);
#   4. closure project, run: exit 1, the only culprit is pypi dl-sub 1.0.0 ->
#      2.0.0 (transitive), dl-greet 1.1.0 shipped, the snapshot holds dl-sub
#      2.0.0 and pins dl-sub 1.0.0 as transitive, the pushed image has
#      dl-greet 1.1.0 and dl-sub 1.0.0.
#   DRIFTLOCK=path/to/driftlock tests/e2e/real_image_closure.sh
# Needs root and tools/install-deps. KEEP_WORK=1 keeps the work folder.
set -euo pipefail

# shellcheck source=tests/e2e/real_image_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/real_image_lib.sh"
ri_setup real_image_closure

ri_step "servers, Debian base, baseline fixtures"
ri_servers
e2e_base_debian "$E2E_REGISTRY" base:stable >/dev/null
e2e_real_image_fixtures baseline --transitive

# Two copies of the example at the same baseline: one captures its closure.
plain="$work/plain"
e2e_real_image_project "$plain"
e2e_real_image_baseline "$plain" "$driftlock"
project="$work/project"
e2e_real_image_project "$project" --closure
e2e_real_image_baseline "$project" "$driftlock"
snapshot="$project/snapshots/real-image.lock.json"
ri_git_init "real-image at its baseline"

entry() { # LOCK NAME: "VERSION transitive|direct" of the PyPI entry, or "missing"
  jq -r --arg n "$2" '[.dependencies[] | select(.ecosystem == "pypi" and .name == $n)
    | "\(.version) \(if .transitive then "transitive" else "direct" end)"][0] // "missing"' "$1"
}

# --- 1. capture ----------------------------------------------------------------------------
ri_step "first run with [closure]: captures the baseline's closure"
check_eq "before: the snapshot has no dl-sub" missing "$(entry "$snapshot" dl-sub)"
commits_before="$(ri_commits)"
ri_driftlock capture run --format json
check_eq "capture: exit 0" 0 "$status"
check_eq "capture: status closure_captured" closure_captured "$(jq -r .status "$out" 2>/dev/null)"
check_eq "capture: the snapshot pins dl-sub 1.0.0 as transitive" "1.0.0 transitive" "$(entry "$snapshot" dl-sub)"
check_eq "capture: dl-greet stays direct at 1.0.0" "1.0.0 direct" "$(entry "$snapshot" dl-greet)"
check_eq "capture: one new commit" "$((commits_before + 1))" "$(ri_commits)"
check_eq "capture: nothing pushed" 0 "$(ri_pushed_count)"
ri_show_if_failed

# --- 1b. init --capture ---------------------------------------------------------------------
ri_step "driftlock init --capture on a copy without a snapshot: the first snapshot, closure included"
saved_project="$project"
project="$work/fresh"
e2e_real_image_project "$project" --closure
rm "$project/snapshots/real-image.lock.json"
ri_git_init "real-image without a snapshot"
commits_before="$(ri_commits)"
ri_driftlock first init --capture
check_eq "init --capture: exit 0" 0 "$status"
check_eq "init --capture: says what it wrote" \
  "wrote the first snapshot of real-image, snapshots/real-image.lock.json: 4 named dependencies and 1 transitive (pypi 1); committed; nothing pushed" \
  "$(cat "$out")"
check_eq "init --capture: the snapshot pins dl-sub 1.0.0 as transitive" "1.0.0 transitive" \
  "$(entry "$project/snapshots/real-image.lock.json" dl-sub 2>/dev/null)"
check_eq "init --capture: one build" 1 "$(ri_started "$err")"
check_eq "init --capture: one new commit" "$((commits_before + 1))" "$(ri_commits)"
check_eq "init --capture: nothing pushed" 0 "$(ri_pushed_count)"
ri_show_if_failed
project="$saved_project"

# --- 2. updates ----------------------------------------------------------------------------
ri_step "updates published: dl-greet 1.1.0, dl-sub 2.0.0 (breaks dl-greet's output)"
e2e_real_image_fixtures transitive-updates

# --- 3. without the closure --------------------------------------------------------------
ri_step "the same scenario without [closure]: the baseline itself broke"
saved_project="$project"
project="$plain"
ri_driftlock plain run
project="$saved_project"
check_eq "without closure: exit 3" 3 "$status"
check "without closure: the baseline is broken" grep -qi "baseline" "$err"
ri_show_if_failed

# --- 4. with the closure -----------------------------------------------------------------
ri_step "run with the closure: the sub-dependency is named"
ri_driftlock run run --format json
check_eq "run: exit 1 (culprit named, the rest shipped)" 1 "$status"
check_eq "run: the only culprit is the transitive pypi dl-sub 1.0.0 -> 2.0.0" \
  "pypi dl-sub 1.0.0 2.0.0 true" \
  "$(jq -r '[.culprits[].changes[] | "\(.ecosystem) \(.name) \(.from) \(.to) \(.transitive)"] | join(", ")' "$out" 2>/dev/null)"
check_eq "run: dl-sub came via dl-greet (pip inspect's requires_dist)" "dl-greet" \
  "$(jq -r '[.culprits[].changes[] | select(.name == "dl-sub") | .via[]?] | join(", ")' "$out" 2>/dev/null)"
check_eq "run: dl-greet 1.1.0 shipped" shipped \
  "$(jq -r '[.changes[] | select(.name == "dl-greet") | .result][0]' "$out" 2>/dev/null)"
check_eq "run: the snapshot pins dl-greet 1.1.0" "1.1.0 direct" "$(entry "$snapshot" dl-greet)"
check_eq "run: the snapshot keeps dl-sub 1.0.0 as transitive" "1.0.0 transitive" "$(entry "$snapshot" dl-sub)"
check_eq "run: the snapshot holds dl-sub 2.0.0" "pypi dl-sub 2.0.0" \
  "$(jq -r '[.held[] | "\(.ecosystem) \(.name) \(.version)"] | join(", ")' "$snapshot")"
last_id="$(tail -n 1 "$project/pushed.log" 2>/dev/null | cut -d' ' -f1)"
check_eq "run: the pushed image pins dl-greet 1.1.0 and dl-sub 1.0.0" "1.1.0 direct 1.0.0 transitive" \
  "$(entry "$project/pushed/$last_id.lock.json" dl-greet 2>/dev/null) $(entry "$project/pushed/$last_id.lock.json" dl-sub 2>/dev/null)"
tag="$(buildah images --format '{{.Name}}:{{.Tag}}' 2>/dev/null | grep -F ":$last_id" | head -n 1 || true)"
if [ -n "$last_id" ] && [ -n "$tag" ]; then
  container="$(buildah from --pull=never -q "$tag")"
  inside="$(buildah run --isolation chroot "$container" -- python3 -c \
    'import importlib.metadata as m; print(m.version("dl-greet"), m.version("dl-sub"))' 2>&1 || true)"
  buildah rm "$container" >/dev/null 2>&1 || true
  check_eq "run: inside the pushed image: dl-greet 1.1.0, dl-sub 1.0.0" "1.1.0 1.0.0" "$inside"
else
  check "run: the pushed image ($last_id) is in the build storage" false
fi
ri_show_if_failed

ri_finish
