# shellcheck shell=bash
# tests/e2e/real_image_lib.sh: what the real_image_*.sh tests share. Sourced
# after `set -euo pipefail`; brings in tools/e2e/lib.sh (servers, buildah,
# base images, fixtures) and adds:
#
#   ri_setup NAME            checks root, tools and $DRIFTLOCK; makes $work
#                            ($TMPDIR/driftlock-e2e-NAME.XXXXXX) and $state; sets the
#                            traps that ALWAYS clean up (servers, driftlock's
#                            processes, buildah storage and mounts, $work);
#                            starts a watchdog that ends the test (with cleanup)
#                            after $E2E_TIME_LIMIT seconds (default 840), before
#                            ctest's TIMEOUT would SIGKILL it with no cleanup
#   ri_servers               e2e_servers_start + e2e_buildah_env in $work
#   check WHAT CMD...        PASS/FAIL line, counted
#   check_eq WHAT EXPECTED ACTUAL   the same, printing both values on failure
#   ri_driftlock LABEL ARGS...   driftlock ARGS in $project (set by the test):
#                            stdout in $out ($work/LABEL.out), stderr in $err,
#                            exit status in $status; interruptible by signals
#   ri_show_if_failed        after a step with a FAIL: driftlock's output
#   ri_started FILE / ri_finished FILE / ri_finished_with OUTCOME FILE
#                            counts of progress lines ("probe N/≈M started:" ...)
#   ri_git ARGS...           git in $project (GIT_CONFIG_GLOBAL=/dev/null)
#   ri_git_init              git init + commit of $project with a local identity
#   ri_pushed_count          lines of $project/pushed.log
#   ri_step WHAT             "=== WHAT (at T s)", and the time of the previous step
#   ri_finish                cleanup, then checks that no server process, mount
#                            or storage is left; prints the summary and exits
#
# KEEP_WORK=1 keeps $work (servers and storage are still removed).

ri_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=tools/e2e/lib.sh
source "$ri_repo/tools/e2e/lib.sh"

driftlock="${DRIFTLOCK:-$ri_repo/build/driftlock}"
ri_name=""
work=""
state=""
project=""
out=""
err=""
status=0
passed=0
failed=0
step_failed=0
ri_dl_pid=""
ri_watchdog_pid=""
ri_cleaned=0
ri_t0=$SECONDS
ri_step_name=""
ri_step_t0=$SECONDS
ri_timings=()

ri_fail_setup() {
  echo "$ri_name: FAIL: $*" >&2
  exit 1
}

# Every process below PID (children before their own children), read from
# /proc: the test only ever stops processes it started.
ri_descendants() {
  local pid="$1" child
  for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do
    echo "$child"
    ri_descendants "$child"
  done
}

# ri_stop_tree PID: TERM PID and everything below it, KILL what is left
# after 10 s. driftlock runs the manifest's commands in their own process
# groups and does not stop them when it is killed, so its descendants are
# collected first.
ri_stop_tree() {
  local pids pid i alive
  pids="$(ri_descendants "$1") $1"
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    alive=0
    for pid in $pids; do e2e__alive "$pid" && alive=1; done
    [ "$alive" -eq 1 ] || return 0
    sleep 0.1
  done
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  sleep 0.5
}

ri_cleanup() {
  [ "$ri_cleaned" -eq 1 ] && return 0
  ri_cleaned=1
  if [ -n "$ri_watchdog_pid" ]; then
    kill "$ri_watchdog_pid" 2>/dev/null || true
    wait "$ri_watchdog_pid" 2>/dev/null || true
  fi
  if [ -n "$ri_dl_pid" ] && e2e__alive "$ri_dl_pid"; then
    echo "$ri_name: stopping driftlock (pid $ri_dl_pid) and its commands" >&2
    ri_stop_tree "$ri_dl_pid"
  fi
  [ -z "$state" ] || e2e_cleanup "$state"
  if [ -n "$work" ] && [ -d "$work" ]; then
    if [ "${KEEP_WORK:-0}" = 1 ]; then
      echo "$ri_name: kept $work" >&2
    else
      rm -rf "$work"
    fi
  fi
}

ri_setup() {
  ri_name="$1"
  [ "$(id -u)" -eq 0 ] || ri_fail_setup "needs root (buildah, mounts)"
  [ -x "$driftlock" ] || ri_fail_setup "no driftlock binary at '$driftlock' (set DRIFTLOCK)"
  # Not a skip: tools/install-deps installs all of them, so a missing one is
  # a broken setup.
  local tool
  for tool in buildah docker-registry python3 curl jq git dpkg-deb dpkg-scanpackages; do
    command -v "$tool" >/dev/null || ri_fail_setup "'$tool' is missing; run tools/install-deps"
  done
  work="$(mktemp -d "${TMPDIR:-/tmp}/driftlock-e2e-$ri_name.XXXXXX")"
  state="$work/state"
  trap ri_cleanup EXIT
  # A signal (the watchdog, ^C) ends through the EXIT trap too.
  trap 'echo "$ri_name: interrupted" >&2; exit 130' INT
  trap 'echo "$ri_name: terminated (time limit ${E2E_TIME_LIMIT:-840} s?)" >&2; exit 143' TERM
  local limit="${E2E_TIME_LIMIT:-840}" self=$$
  (
    # sleep in the background + wait: TERM from the cleanup ends it at once.
    trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
    sleep "$limit" &
    sleeper=$!
    wait "$sleeper"
    echo "$ri_name: time limit of $limit s reached; stopping" >&2
    kill -TERM "$self" 2>/dev/null
  ) </dev/null >/dev/null 2>&1 &
  ri_watchdog_pid=$!
  # Git reads only the project's own config (identity set by ri_git_init).
  export GIT_CONFIG_GLOBAL=/dev/null
  export GIT_CONFIG_NOSYSTEM=1
  echo "$ri_name: work folder $work"
}

ri_servers() {
  e2e_servers_start "$state"
  e2e_buildah_env "$work/buildah"
}

check() { # WHAT COMMAND...: PASS if the command succeeds
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

check_eq() { # WHAT EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then
    passed=$((passed + 1))
    echo "PASS: $1"
  else
    failed=$((failed + 1))
    step_failed=1
    echo "FAIL: $1"
    echo "    expected: $2"
    echo "    actual:   $3"
  fi
}

ri_driftlock() { # LABEL ARGS...
  local label="$1" t0=$SECONDS
  shift
  out="$work/$label.out"
  err="$work/$label.err"
  step_failed=0
  status=0
  (cd "$project" && exec "$driftlock" "$@") >"$out" 2>"$err" </dev/null &
  ri_dl_pid=$!
  wait "$ri_dl_pid" || status=$?
  ri_dl_pid=""
  echo "--- driftlock $* -> exit $status ($((SECONDS - t0)) s)"
}

ri_show_if_failed() {
  [ "$step_failed" -eq 0 ] && return 0
  echo "    driftlock's stdout:"
  if jq -e .format "$out" >/dev/null 2>&1; then # --format json: the fields that matter, one per line
    jq -c '{status, exit_code, message}, (.changes[]?), (.culprits[]? | del(.log)),
           {flaky, unresolved, shipped, pushed, builds, probe_count, rounds}, (.probes[]?)' "$out" |
      sed 's/^/    | /'
  else
    sed 's/^/    | /' "$out" | tail -n 80
  fi
  echo "    driftlock's stderr:"
  sed 's/^/    | /' "$err" | tail -n 60
}

# Progress lines (docs/commands.md): "driftlock: probe 3/≈6 started: ..." and
# "driftlock: probe 3/≈6 pass after 12s: ... (log: ...)".
ri_started() { grep -cE '^driftlock: probe [0-9]+/≈[0-9]+ started: ' "$1" || true; }
ri_finished() { grep -cE '^driftlock: probe [0-9]+/≈[0-9]+ [a-z]+ after ' "$1" || true; }
ri_finished_with() { grep -cE "^driftlock: probe [0-9]+/≈[0-9]+ $1 after " "$2" || true; }

ri_git() { git -C "$project" "$@"; }
ri_git_init() {
  ri_git init -q -b main
  ri_git config user.name "driftlock e2e"
  ri_git config user.email "e2e@driftlock.invalid"
  ri_git add -A
  ri_git commit -q -m "$1"
}
ri_commits() { ri_git rev-list --count HEAD; }

ri_pushed_count() {
  if [ -f "$project/pushed.log" ]; then wc -l <"$project/pushed.log" | tr -d ' '; else echo 0; fi
}

ri_step() {
  local now=$SECONDS
  [ -z "$ri_step_name" ] || ri_timings+=("$(printf '%-58s %4d s' "$ri_step_name" $((now - ri_step_t0)))")
  ri_step_name="$1"
  ri_step_t0=$now
  [ -z "$1" ] || echo "=== $1 (at $((now - ri_t0)) s)"
}

ri_gone() { [ -z "$1" ] || ! e2e__alive "$1"; } # a zombie waiting for init counts as gone

ri_finish() {
  ri_step "cleanup"
  local registry_pid="" http_pid="" buildah_dir="${E2E_BUILDAH_DIR:-}"
  [ ! -f "$state/registry/pid" ] || registry_pid="$(cat "$state/registry/pid")"
  [ ! -f "$state/http/pid" ] || http_pid="$(cat "$state/http/pid")"
  ri_cleanup
  ri_step ""
  check "cleanup: the registry process is gone" ri_gone "$registry_pid"
  check "cleanup: the static server process is gone" ri_gone "$http_pid"
  # shellcheck disable=SC2016 # bash -c takes the folder as $1
  check "cleanup: nothing is mounted below $work" bash -c '! grep -qF " $1" /proc/self/mountinfo' _ "$work"
  check "cleanup: the buildah storage is gone" [ -n "$buildah_dir" -a ! -e "$buildah_dir" ]
  echo
  echo "timings:"
  printf '  %s\n' "${ri_timings[@]}"
  echo "  total $((SECONDS - ri_t0)) s"
  echo "$ri_name: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
