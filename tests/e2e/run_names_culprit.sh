#!/usr/bin/env bash
# End-to-end: `driftlock run` against a real npm registry (Verdaccio on
# loopback, started here) and a small image project (examples/npm-image/)
# whose build installs the candidate's npm pins and whose test fails when a
# package's `ok` export is false. Four dependencies each have one new release;
# e2e-gamma 2.0.0 is the planted breaking one. Checks, in order:
#   1. run --dry-run: exit 0, prints the plan, builds/writes/pushes nothing;
#   2. run: exit 1, names e2e-gamma 1.0.0 -> 2.0.0 (and nothing else) as the
#      culprit, ships and commits everything else, holds gamma 2.0.0;
#   3. run again: exit 0, "no drift", nothing pushed or committed;
#   4. a new harmless release, run --no-push: exit 0, snapshot advances and is
#      committed, nothing pushed.
#   DRIFTLOCK=path/to/driftlock tests/e2e/run_names_culprit.sh
# KEEP_WORK=1 keeps the temporary folder (project, outputs) for inspection.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
verdaccio_dir="$repo/tools/verdaccio"
# The bundled example image (also what tools/demo runs): its ci/ scripts are
# the build, test and push commands under test.
template="$repo/examples/npm-image"
driftlock="${DRIFTLOCK:-$repo/build/driftlock}"

fail_setup() {
  echo "run_names_culprit: FAIL: $*" >&2
  exit 1
}

[ -x "$driftlock" ] || fail_setup "no driftlock binary at '$driftlock' (set DRIFTLOCK)"
# Not a skip: CI installs Verdaccio, so its absence is a broken setup.
[ -x "$verdaccio_dir/node_modules/.bin/verdaccio" ] ||
  fail_setup "Verdaccio is not installed; run tools/install-deps (it calls tools/verdaccio/install)"
for tool in node npm jq curl python3 git cmp timeout; do
  command -v "$tool" >/dev/null || fail_setup "'$tool' is missing; run tools/install-deps"
done

work="$(mktemp -d)"
state="$work/verdaccio"
stop_registry() {
  [ -f "$state/pid" ] || return 0
  local pid
  pid="$(cat "$state/pid")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  rm -f "$state/pid"
}
cleanup() {
  stop_registry
  if [ "${KEEP_WORK:-0}" = 1 ]; then
    echo "run_names_culprit: kept $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
# A signal (ctest's timeout, ^C) ends through the EXIT trap too.
trap 'exit 130' INT
trap 'exit 143' TERM

url="$("$verdaccio_dir/serve" "$state" 0)"
"$verdaccio_dir/publish-fixtures" "$url" --set e2e-run

# Inherited through driftlock by ci/build.sh: where to install from.
export NPM_CONFIG_REGISTRY="$url/"
# Git reads only the project's own config (identity set below), so a user's
# global settings (signing, hooks) cannot change what driftlock's commit does.
export GIT_CONFIG_GLOBAL=/dev/null
export GIT_CONFIG_NOSYSTEM=1

project="$work/project"
mkdir -p "$project/snapshots"
cp -R "$template/ci" "$template/.gitignore" "$project/"
snapshot="$project/snapshots/e2e.lock.json"
cat >"$project/driftlock.toml" <<TOML
image = "e2e"
snapshot = "snapshots/e2e.lock.json"

[policy]
prereleases = false

[registries]
npm = "$url"

[dependencies.npm]
e2e-alpha = "*"
e2e-beta = "^1"
e2e-gamma = "*"
e2e-delta = "~1.0"

[commands]
build = "./ci/build.sh"
test = "./ci/test.sh"
push = "./ci/push.sh"
timeout = "5m"
jobs = 2
TOML
# The last-known-good state: every dependency at 1.0.0 (digests are optional).
jq -n '{format: "driftlock-snapshot", version: 1, image: "e2e", created: "2026-01-01T00:00:00Z",
        dependencies: [("e2e-alpha", "e2e-beta", "e2e-delta", "e2e-gamma")
                       | {ecosystem: "npm", name: ., version: "1.0.0"}],
        held: []}' >"$snapshot"

git_p() { git -C "$project" "$@"; }
git_p init -q
git_p config user.name "driftlock e2e"
git_p config user.email "e2e@driftlock.invalid"
git_p add -A
git_p commit -q -m "e2e image at 1.0.0"

passed=0
failed=0
step_failed=0
check() { # DESCRIPTION COMMAND...: PASS if the command succeeds
  local what="$1"
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "PASS: $what"
  else
    failed=$((failed + 1))
    step_failed=1
    echo "FAIL: $what"
  fi
}

status=0
out=""
run_driftlock() { # LABEL ARGS...: output in $work/LABEL.out, exit status in $status
  out="$work/$1.out"
  shift
  step_failed=0
  status=0
  (cd "$project" && timeout 300 "$driftlock" run -m driftlock.toml "$@") >"$out" 2>&1 || status=$?
  echo "--- driftlock run $* -> exit $status"
}
show_output_if_failed() {
  [ "$step_failed" -eq 0 ] && return 0
  echo "    driftlock's output:"
  sed 's/^/    | /' "$out"
}

# Helpers over the project's files.
# (Pipelines end in `grep >/dev/null`, not `grep -q`: an early exit could
# kill the writer with SIGPIPE, and pipefail would turn a match into a failure.)
pin_of() { # LOCK NAME: the version the lock pins NAME at, or "missing"
  jq -r --arg n "$2" '[.dependencies[] | select(.ecosystem == "npm" and .name == $n) | .version][0] // "missing"' "$1"
}
pins_are() { # LOCK ALPHA BETA DELTA GAMMA
  [ "$(pin_of "$1" e2e-alpha)" = "$2" ] && [ "$(pin_of "$1" e2e-beta)" = "$3" ] &&
    [ "$(pin_of "$1" e2e-delta)" = "$4" ] && [ "$(pin_of "$1" e2e-gamma)" = "$5" ]
}
held_is_gamma_2() { # exactly one held entry: npm e2e-gamma 2.0.0, with a reason
  jq -e '.held | length == 1 and .[0].ecosystem == "npm" and .[0].name == "e2e-gamma"
         and .[0].version == "2.0.0" and ((.[0].reason // "") | length > 0)' "$snapshot" >/dev/null
}
held_reason_names_failure() { # the reason carries the failing check (log tail), not just a status
  jq -r '.held[0].reason // ""' "$snapshot" | grep -E "e2e-gamma@2\.0\.0|check 'ok' failed" >/dev/null
}
pushed_count() { if [ -f "$project/pushed.log" ]; then wc -l <"$project/pushed.log"; else echo 0; fi; }
commit_count() { git_p rev-list --count HEAD; }
output_has() { grep -Eq -- "$1" "$out"; }
output_has_i() { grep -Eqi -- "$1" "$out"; }
change_re() { # NAME FROM TO: a change line such as "npm e2e-gamma 1.0.0 -> 2.0.0"
  printf 'npm[[:space:]]+%s[[:space:]]+%s[[:space:]]*->[[:space:]]*%s' "$1" "${2//./\\.}" "${3//./\\.}"
}
culprit_named() { # REGEX: a line matching it, on or after a line that says "culprit"
  awk -v re="$1" 'tolower($0) ~ /culprit/ { seen = 1 } seen && $0 ~ re { found = 1 } END { exit !found }' "$out"
}
no_culprit_line_names_others() {
  ! grep -Ei 'culprit|blame' "$out" | grep -E 'e2e-(alpha|beta|delta)' >/dev/null
}
snapshot_tracked_and_clean() {
  [ -z "$(git_p status --porcelain -- snapshots/)" ] &&
    git_p ls-files --error-unmatch snapshots/e2e.lock.json >/dev/null 2>&1
}
message_lists() { # NAME VERSION: a line of the last commit message names both
  git_p log -1 --format=%B | grep -F -- "$1" | grep -F -- "$2" >/dev/null
}
no_pushed_lock_has_gamma_2() {
  local lock
  for lock in "$project"/pushed/*.lock.json; do
    [ -e "$lock" ] || continue
    [ "$(pin_of "$lock" e2e-gamma)" != "2.0.0" ] || return 1
  done
}
validates() { (cd "$project" && "$driftlock" validate -m driftlock.toml >/dev/null 2>&1); }

# 1. --dry-run: the plan only.
cp "$snapshot" "$work/snapshot.initial"
commits_before="$(commit_count)"
run_driftlock dry-run --dry-run
check "dry-run: exit 0" [ "$status" -eq 0 ]
for spec in "e2e-alpha 1.0.0 1.1.0" "e2e-beta 1.0.0 1.2.0" "e2e-delta 1.0.0 1.0.1" "e2e-gamma 1.0.0 2.0.0"; do
  read -r name from to <<<"$spec"
  check "dry-run: plan lists npm $name $from -> $to" output_has "$(change_re "$name" "$from" "$to")"
done
check "dry-run: nothing built (no work/)" [ ! -e "$project/work" ]
check "dry-run: snapshot unchanged" cmp -s "$snapshot" "$work/snapshot.initial"
check "dry-run: nothing pushed (no pushed.log)" [ ! -e "$project/pushed.log" ]
check "dry-run: no commit" [ "$(commit_count)" -eq "$commits_before" ]
show_output_if_failed

# 2. The real run: gamma 2.0.0 breaks the tests.
commits_before="$(commit_count)"
run_driftlock first
check "run: exit 1 (candidate worse than baseline)" [ "$status" -eq 1 ]
check "run: output names the culprit npm e2e-gamma 1.0.0 -> 2.0.0 (on or after a 'culprit' line)" \
  culprit_named "$(change_re e2e-gamma 1.0.0 2.0.0)"
check "run: no culprit line blames e2e-alpha, e2e-beta or e2e-delta" no_culprit_line_names_others
check "run: snapshot pins alpha 1.1.0, beta 1.2.0, delta 1.0.1, gamma 1.0.0" \
  pins_are "$snapshot" 1.1.0 1.2.0 1.0.1 1.0.0
check "run: snapshot holds exactly npm e2e-gamma 2.0.0, with a reason" held_is_gamma_2
check "run: the held reason names the failing check (FAIL e2e-gamma@2.0.0 ...)" held_reason_names_failure
check "run: snapshot passes driftlock validate" validates
check "run: pushed exactly once" [ "$(pushed_count)" -eq 1 ]
shipped="$(head -n 1 "$project/pushed.log" 2>/dev/null || true)"
shipped_lock="$project/pushed/$shipped.lock.json"
check "run: the pushed lock exists (pushed/<id>.lock.json)" [ -n "$shipped" -a -f "$shipped_lock" ]
if [ -f "$shipped_lock" ]; then
  check "run: the pushed lock pins gamma 1.0.0 and the other updates" \
    pins_are "$shipped_lock" 1.1.0 1.2.0 1.0.1 1.0.0
fi
check "run: no pushed lock has e2e-gamma 2.0.0" no_pushed_lock_has_gamma_2
check "run: one new commit" [ "$(commit_count)" -eq $((commits_before + 1)) ]
check "run: the commit message lists e2e-alpha 1.1.0" message_lists e2e-alpha 1.1.0
check "run: the commit message lists e2e-beta 1.2.0" message_lists e2e-beta 1.2.0
check "run: the commit message lists e2e-delta 1.0.1" message_lists e2e-delta 1.0.1
check "run: the snapshot is committed (git status clean)" snapshot_tracked_and_clean
show_output_if_failed
if [ "$step_failed" -ne 0 ]; then
  echo "    last commit message:"
  git_p log -1 --format=%B | sed 's/^/    | /'
fi

# 3. Nothing new: no drift, nothing built, pushed or committed.
cp "$snapshot" "$work/snapshot.after-first"
commits_before="$(commit_count)"
run_driftlock second
check "second run: exit 0" [ "$status" -eq 0 ]
check "second run: says 'no drift'" output_has_i 'no drift'
check "second run: nothing new pushed" [ "$(pushed_count)" -eq 1 ]
check "second run: snapshot unchanged" cmp -s "$snapshot" "$work/snapshot.after-first"
check "second run: no commit" [ "$(commit_count)" -eq "$commits_before" ]
show_output_if_failed

# 4. A harmless new release, with --no-push.
"$verdaccio_dir/publish-fixtures" "$url" --set e2e-run-next
commits_before="$(commit_count)"
run_driftlock no-push --no-push
check "no-push run: exit 0" [ "$status" -eq 0 ]
check "no-push run: snapshot advances alpha to 1.2.0, the rest unchanged" \
  pins_are "$snapshot" 1.2.0 1.2.0 1.0.1 1.0.0
check "no-push run: e2e-gamma 2.0.0 is still held" held_is_gamma_2
check "no-push run: nothing pushed" [ "$(pushed_count)" -eq 1 ]
check "no-push run: one new commit" [ "$(commit_count)" -eq $((commits_before + 1)) ]
check "no-push run: the commit message lists e2e-alpha 1.2.0" message_lists e2e-alpha 1.2.0
check "no-push run: the snapshot is committed (git status clean)" snapshot_tracked_and_clean
show_output_if_failed

echo "run_names_culprit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
