#!/usr/bin/env bash
# End-to-end: `jobs = 2` with JUnit reports (issue 8 item 3). Every probe's
# test writes a report with the SAME name, junit/report.xml, into its own
# $DRIFTLOCK_WORK_DIR, while the culprit search runs two probes at a time; a
# report read from the wrong probe would blame or clear the wrong change.
#
# The image: a busybox base (loopback registry) plus four Debian packages
# dl-a .. dl-d from a loopback apt repository. The build reads the
# candidate's apt-pins.txt (mounted at /pins) inside the RUN step, fetches
# each pinned .deb with wget and unpacks it with dpkg-deb; the pins reach the
# image only through that file. The test runs every package inside the image
# (buildah run) and writes one JUnit test case per package; a package that
# exits non-zero fails its case. Each package moves 1.0.0 -> 1.1.0 and
# dl-c 1.1.0 is broken.
#   run: exit 1; dl-c 1.0.0 -> 1.1.0 is the only culprit, with its JUnit case
#   apt.dl-c as the failing test; dl-a, dl-b, dl-d are shipped (snapshot,
#   pushed lock); probes ran at the same time (from the progress lines, and
#   from the build/test commands' own timeline), each in its own work folder.
#   DRIFTLOCK=path/to/driftlock tests/e2e/real_image_parallel_junit.sh
# Needs root and tools/install-deps. KEEP_WORK=1 keeps the work folder.
set -euo pipefail

# shellcheck source=tests/e2e/real_image_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/real_image_lib.sh"
ri_setup real_image_parallel_junit

packages=(dl-a dl-b dl-c dl-d)
culprit=dl-c

ri_step "servers, busybox base, apt packages 1.0.0"
ri_servers
e2e_base_busybox "$E2E_REGISTRY" base:stable >/dev/null
for package in "${packages[@]}"; do e2e_apt_add "$E2E_APT_ROOT" "$package" 1.0.0; done

project="$work/project"
mkdir -p "$project/snapshots"
# The build and test commands append "<time> <event> <candidate> <work dir>"
# here (a small append is atomic): the test's own record of who ran when.
export E2E_TIMELINE="$work/timeline.log"
: >"$E2E_TIMELINE"
cat >"$project/driftlock.toml" <<TOML
image    = "parallel-image"
snapshot = "snapshots/parallel-image.lock.json"

[commands]
build   = "./build.sh"
test    = "./test.sh"
push    = "./push.sh"
timeout = "5m"
jobs    = 2
# Relative: read in each probe's own DRIFTLOCK_WORK_DIR.
junit   = "junit/*.xml"
# build.sh turns buildah's own failures (exit 125) into 75.
error-exit = 75

[policy]
# Careful mode builds jobs probes per round from the first one; trusted
# outcomes with four changes follow an exact plan of one build per round
# (the fewest builds), which would leave nothing running side by side.
flaky-tests = "expect"

[registries]
debian = { url = "$E2E_APT_URL", suite = "$E2E_APT_SUITE", components = ["main"], arch = "$(dpkg --print-architecture)" }

[dependencies.oci]
"$E2E_REGISTRY/base" = "stable"

[dependencies.debian]
$(printf '%s = "*"\n' "${packages[@]}")
TOML
cat >"$project/Containerfile" <<'EOF'
ARG BASE
FROM ${BASE}
ARG APT_URL
COPY install-debs test-debs /usr/local/bin/
RUN /usr/local/bin/install-debs
EOF
# Runs in the RUN step (busybox sh): the candidate's apt-pins.txt, checked
# line by line, each package fetched from the loopback repository.
cat >"$project/install-debs" <<'EOF'
#!/bin/sh
set -eu
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
echo "$APT_URL" | grep -Eqx 'http://127\.0\.0\.1:[0-9]+/[A-Za-z0-9/._-]*' || { echo "install-debs: bad APT_URL"; exit 2; }
mkdir -p /etc/pins
: >/etc/pins/apt-pins.txt
while IFS= read -r line || [ -n "$line" ]; do
  [ -n "$line" ] || continue
  echo "$line" | grep -Eqx '[a-z0-9][a-z0-9+.-]+=[0-9][A-Za-z0-9.+~-]*' || { echo "install-debs: unexpected line '$line'"; exit 2; }
  name="${line%%=*}"
  version="${line#*=}"
  wget -q -O /tmp/package.deb "$APT_URL/pool/main/${name}_${version}_all.deb"
  dpkg-deb -x /tmp/package.deb /
  rm -f /tmp/package.deb
  echo "$line" >>/etc/pins/apt-pins.txt
  echo "install-debs: $name $version"
done </pins/apt-pins.txt
EOF
# Runs in the image: one JUnit case per installed package (names are checked
# by install-debs, so they need no XML escaping).
cat >"$project/test-debs" <<'EOF'
#!/bin/sh
out="$1"
cases=""
failures=0
total=0
while IFS= read -r line; do
  name="${line%%=*}"
  version="${line#*=}"
  total=$((total + 1))
  said="$("$name" 2>/dev/null)" && status=0 || status=$?
  if [ "$status" -eq 0 ] && [ "$said" = "$name $version" ]; then
    echo "ok   apt.$name runs"
    cases="$cases<testcase classname=\"apt.$name\" name=\"runs\"/>"
  else
    echo "FAIL apt.$name runs: exit $status"
    failures=$((failures + 1))
    cases="$cases<testcase classname=\"apt.$name\" name=\"runs\"><failure message=\"$name $version exited with $status\"/></testcase>"
  fi
done </etc/pins/apt-pins.txt
printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="parallel-image" tests="%d" failures="%d">%s</testsuite></testsuites>\n' \
  "$total" "$failures" "$cases" >"$out"
[ "$failures" -eq 0 ]
EOF
cat >"$project/build.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
echo "$(date +%s.%N) build-start $DRIFTLOCK_CANDIDATE_ID $DRIFTLOCK_WORK_DIR" >>"$E2E_TIMELINE"
base="$(sed -n 's/^BASE=//p' "$DRIFTLOCK_CANDIDATE_DIR/build-args.env")"
[[ "$base" =~ ^127\.0\.0\.1:[0-9]+/base@sha256:[0-9a-f]{64}$ ]] || { echo "build.sh: unexpected BASE '$base'" >&2; exit 2; }
status=0
buildah bud --isolation chroot --timestamp 0 --http-proxy=false --tls-verify=false \
  -t "$DRIFTLOCK_IMAGE_TAG" --build-arg "BASE=$base" --build-arg "APT_URL=$E2E_APT_URL" \
  -v "$DRIFTLOCK_CANDIDATE_DIR:/pins:ro" . || status=$?
echo "$(date +%s.%N) build-end $DRIFTLOCK_CANDIDATE_ID $DRIFTLOCK_WORK_DIR" >>"$E2E_TIMELINE"
# buildah reports its own failures as 125, driftlock's "unresolved".
[ "$status" -ne 125 ] || exit 75
exit "$status"
EOF
cat >"$project/test.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
echo "$(date +%s.%N) test-start $DRIFTLOCK_CANDIDATE_ID $DRIFTLOCK_WORK_DIR" >>"$E2E_TIMELINE"
mkdir -p "$DRIFTLOCK_WORK_DIR/junit"
container="$(buildah from --pull=never -q "$DRIFTLOCK_IMAGE_TAG")"
trap 'buildah rm "$container" >/dev/null 2>&1 || true' EXIT
status=0
buildah run -v "$DRIFTLOCK_WORK_DIR/junit:/out" "$container" -- /usr/local/bin/test-debs /out/report.xml \
  2>&1 | tee "$DRIFTLOCK_WORK_DIR/test.log" || status=$?
# Stay a little longer, so that the probes of a round overlap even on a fast machine.
sleep 1
echo "$(date +%s.%N) test-end $DRIFTLOCK_CANDIDATE_ID $DRIFTLOCK_WORK_DIR" >>"$E2E_TIMELINE"
# The last line is what driftlock quotes when it holds a culprit back.
[ "$status" -eq 0 ] || echo "test.sh: exit $status; failing: $(sed -n 's/^FAIL //p' "$DRIFTLOCK_WORK_DIR/test.log" | paste -sd ';' -)"
exit "$status"
EOF
cat >"$project/push.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
digestfile="$(mktemp)"
trap 'rm -f "$digestfile"' EXIT
buildah push --tls-verify=false --digestfile "$digestfile" "$DRIFTLOCK_IMAGE_TAG" \
  "docker://$E2E_REGISTRY/parallel-image:latest"
mkdir -p pushed
cp "$DRIFTLOCK_CANDIDATE_DIR/lock.json" "pushed/$DRIFTLOCK_CANDIDATE_ID.lock.json"
echo "$DRIFTLOCK_CANDIDATE_ID $(cat "$digestfile")" >>pushed.log
EOF
chmod +x "$project"/*.sh "$project/install-debs" "$project/test-debs"
printf '/.driftlock/\n/pushed/\n/pushed.log\n' >"$project/.gitignore"
snapshot="$project/snapshots/parallel-image.lock.json"
ri_driftlock resolve resolve -o snapshots/parallel-image.lock.json
check_eq "baseline: resolve exits 0" 0 "$status"
ri_show_if_failed
ri_git_init "parallel-image at 1.0.0"

ri_step "apt packages 1.1.0 ($culprit broken); run with jobs = 2"
for package in "${packages[@]}"; do
  if [ "$package" = "$culprit" ]; then
    e2e_apt_add "$E2E_APT_ROOT" "$package" 1.1.0 --broken
  else
    e2e_apt_add "$E2E_APT_ROOT" "$package" 1.1.0
  fi
done
: >"$E2E_TIMELINE"
ri_driftlock run run --format json
check_eq "run: exit 1 (culprit named, the rest shipped)" 1 "$status"
check_eq "run: exactly one culprit: debian $culprit 1.0.0 -> 1.1.0" "debian $culprit 1.0.0 1.1.0" \
  "$(jq -r '[.culprits[].changes[] | "\(.ecosystem) \(.name) \(.from) \(.to)"] | join(", ")' "$out" 2>/dev/null)"
check_eq "run: dl-a, dl-b, dl-d shipped" \
  "dl-a shipped, dl-b shipped, dl-c culprit, dl-d shipped" \
  "$(jq -r '[.changes[] | "\(.name) \(.result)"] | sort | join(", ")' "$out" 2>/dev/null)"
failing="$(jq -r '[.culprits[0].failing_tests[]?] | join(", ")' "$out" 2>/dev/null)"
# shellcheck disable=SC2016 # bash -c scripts take their arguments as $1, $2
check "run: the culprit's failing test is its own JUnit case apt.$culprit (got '$failing')" \
  bash -c '[[ "$1" == *"apt.$2"* ]] && [[ "$1" != *"apt.dl-a"* && "$1" != *"apt.dl-b"* && "$1" != *"apt.dl-d"* ]]' _ "$failing" "$culprit"
check_eq "run: snapshot pins dl-a, dl-b, dl-d 1.1.0 and dl-c 1.0.0" "dl-a=1.1.0 dl-b=1.1.0 dl-c=1.0.0 dl-d=1.1.0" \
  "$(jq -r '[.dependencies[] | select(.ecosystem == "debian") | "\(.name)=\(.version)"] | join(" ")' "$snapshot")"
check_eq "run: snapshot holds exactly debian $culprit 1.1.0" "debian $culprit 1.1.0" \
  "$(jq -r '[.held[] | "\(.ecosystem) \(.name) \(.version)"] | join(", ")' "$snapshot")"
check_eq "run: pushed once" 1 "$(ri_pushed_count)"
pushed_id="$(head -n 1 "$project/pushed.log" 2>/dev/null | cut -d' ' -f1)"
check_eq "run: the pushed lock pins dl-a, dl-b, dl-d 1.1.0 and dl-c 1.0.0" "dl-a=1.1.0 dl-b=1.1.0 dl-c=1.0.0 dl-d=1.1.0" \
  "$(jq -r '[.dependencies[] | select(.ecosystem == "debian") | "\(.name)=\(.version)"] | join(" ")' \
    "$project/pushed/$pushed_id.lock.json" 2>/dev/null)"
check_eq "run: the registry serves the pushed image" \
  "$(head -n 1 "$project/pushed.log" 2>/dev/null | cut -d' ' -f2)" \
  "$(e2e_registry_digest "$E2E_REGISTRY" parallel-image latest 2>/dev/null || echo absent)"
# shellcheck disable=SC2016
check "run: no note about a skipped JUnit report (every probe's report was in its own folder)" \
  bash -c '! grep -qi "DRIFTLOCK_WORK_DIR" "$1"' _ "$err"

# Overlap, as driftlock saw it: a probe started while another had not ended.
overlaps_progress="$(awk '
  /^driftlock: probe [0-9]+\/≈[0-9]+ started: / {
    split($3, p, "/"); if (busy > 0) n++; if (!(p[1] in running)) { running[p[1]] = 1; busy++ } }
  /^driftlock: probe [0-9]+\/≈[0-9]+ [a-z]+ after / {
    split($3, p, "/"); if (p[1] in running) { delete running[p[1]]; busy-- } }
  END { print n + 0 }' "$err")"
check "run: progress lines show probes running at the same time ($overlaps_progress starts while another ran)" \
  [ "$overlaps_progress" -ge 1 ]
# Overlap, as the commands saw it: intervals from build-start to test-end
# (or build-end, for a build that failed) per work folder.
overlap_report="$(awk '
  { t = $1; ev = $2; dir = $4 }
  ev == "build-start" { if (!(dir in start)) probes++; start[dir] = t }
  ev == "build-end" || ev == "test-end" { if (!(dir in stop) || t > stop[dir]) stop[dir] = t }
  END {
    for (a in start) for (b in start)
      if (a < b && (a in stop) && (b in stop) && start[a] < stop[b] && start[b] < stop[a]) n++
    printf "%d %d\n", n, probes
  }' "$E2E_TIMELINE")"
read -r overlapping_pairs probes_seen <<<"$overlap_report"
check "run: the commands' timeline shows overlapping probes ($overlapping_pairs overlapping pairs among $probes_seen probes)" \
  [ "${overlapping_pairs:-0}" -ge 1 ]
check_eq "run: one work folder per build (no two probes shared one)" \
  "$(grep -c ' build-start ' "$E2E_TIMELINE")" "$probes_seen"
check_eq "run: started probes = builds in the report" "$(ri_started "$err")" "$(jq -r .builds "$out" 2>/dev/null)"
ri_show_if_failed
echo "    probes: $(jq -c '[.probes[]? | {n: .number, r: .round, s: .subset, o: .outcome}]' "$out" 2>/dev/null)"
echo "    builds $(jq -r .builds "$out" 2>/dev/null), rounds $(jq -r .rounds "$out" 2>/dev/null)"

ri_finish
