#!/usr/bin/env bash
# End-to-end: an OCI base image whose new digest breaks the image is held
# back BY DIGEST (issue 8 item 2), and a multi-arch index is pinned by the
# index digest. busybox images (2 MB) in a loopback registry, built with
# buildah; servers and storage are made here and removed at the end, also
# when a check fails.
#
# The image: FROM the base (key BASE), plus /etc/driftlock-tool copied from a
# second OCI dependency, "tool" (key TOOL). Its test fails when the base's
# /etc/driftlock-base says "broken". The build reads the candidate's pins
# only from its build-args.env (lines handed to buildah as --build-arg).
#   1. baseline: base:stable and tool:stable pushed, snapshot from
#      `driftlock resolve -o`, committed;
#   2. base:stable moves to a breaking digest, tool:stable to a harmless one.
#      run: exit 1; the base is the only culprit; the snapshot keeps the old
#      base digest, takes the new tool digest and holds the base by digest
#      (held version = the breaking digest); the pushed image has the old base
#      and the new tool; the registry serves it;
#   3. run again: exit 0, "no drift (held: oci NAME stable@sha256:...)", no
#      probe started, nothing pushed;
#   4. base:stable moves to a good digest: run tries it and ships it (exit 0);
#      the registry's image is updated to the new push;
#   5. multi-arch: two single-arch images (amd64, and one labelled arm64) in
#      an index pushed as multi:stable (buildah manifest create/add/push
#      --all). `driftlock resolve -o` pins the index digest (the registry
#      serves it as an OCI index), and `driftlock check --quiet` builds FROM
#      multi@<index digest> (the amd64 instance is chosen) and passes,
#      printing no progress lines.
#   DRIFTLOCK=path/to/driftlock tests/e2e/real_image_held_digest.sh
# Needs root and tools/install-deps (buildah, docker-registry,
# busybox-static). KEEP_WORK=1 keeps the work folder.
set -euo pipefail

# shellcheck source=tests/e2e/real_image_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/real_image_lib.sh"
ri_setup real_image_held_digest

# write_project DIR IMAGE CONTAINERFILE_TEXT OCI_DEPENDENCY_LINES: a project whose
# build, test and push commands are the scripts below.
write_project() {
  local dir="$1" image="$2"
  mkdir -p "$dir/snapshots"
  printf '%s\n' "$3" >"$dir/Containerfile"
  cat >"$dir/driftlock.toml" <<TOML
image    = "$image"
snapshot = "snapshots/$image.lock.json"

[commands]
build   = "./build.sh"
test    = "./test.sh"
push    = "./push.sh"
timeout = "5m"
# build.sh turns buildah's own failures (exit 125) into 75.
error-exit = 75

[dependencies.oci]
$4
TOML
  # build.sh: the candidate's build-args.env (KEY=name@sha256:... lines)
  # becomes --build-arg arguments; no pin is ever shell text.
  cat >"$dir/build.sh" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
args=()
while IFS= read -r line || [ -n "$line" ]; do
  [ -n "$line" ] || continue
  [[ "$line" =~ ^[A-Z_][A-Z0-9_]*=[a-z0-9.:/_-]+@sha256:[0-9a-f]{64}$ ]] || {
    echo "build.sh: unexpected build-args.env line '$line'" >&2
    exit 2
  }
  args+=(--build-arg "$line")
done <"$DRIFTLOCK_CANDIDATE_DIR/build-args.env"
status=0
buildah bud --isolation chroot --timestamp 0 --http-proxy=false --tls-verify=false \
  -t "$DRIFTLOCK_IMAGE_TAG" "${args[@]}" . || status=$?
# buildah reports its own failures as 125, driftlock's "unresolved".
[ "$status" -ne 125 ] || exit 75
exit "$status"
SH
  # test.sh: the base must not say "broken".
  cat >"$dir/test.sh" <<'SH'
#!/usr/bin/env bash
set -euo pipefail
container="$(buildah from --pull=never -q "$DRIFTLOCK_IMAGE_TAG")"
trap 'buildah rm "$container" >/dev/null 2>&1 || true' EXIT
status=0
buildah run "$container" -- sh -c '
  sed "s/^/base: /" /etc/driftlock-base
  if grep -q broken /etc/driftlock-base; then echo "FAIL base: /etc/driftlock-base says broken"; exit 1; fi
  echo "ok base"' || status=$?
# The last line is what driftlock quotes when it holds a culprit back.
[ "$status" -eq 0 ] || echo "test.sh: FAIL base: /etc/driftlock-base says broken"
exit "$status"
SH
  # push.sh: to E2E_REGISTRY/IMAGE:latest; records "<id> <digest>" in
  # pushed.log and the candidate's lock in pushed/<id>.lock.json.
  cat >"$dir/push.sh" <<SH
#!/usr/bin/env bash
set -euo pipefail
image="$image"
SH
  cat >>"$dir/push.sh" <<'SH'
digestfile="$(mktemp)"
trap 'rm -f "$digestfile"' EXIT
buildah push --tls-verify=false --digestfile "$digestfile" "$DRIFTLOCK_IMAGE_TAG" \
  "docker://$E2E_REGISTRY/$image:latest"
mkdir -p pushed
cp "$DRIFTLOCK_CANDIDATE_DIR/lock.json" "pushed/$DRIFTLOCK_CANDIDATE_ID.lock.json"
echo "$DRIFTLOCK_CANDIDATE_ID $(cat "$digestfile")" >>pushed.log
SH
  chmod +x "$dir/build.sh" "$dir/test.sh" "$dir/push.sh"
  printf '/.driftlock/\n/pushed/\n/pushed.log\n' >"$dir/.gitignore"
}

digest_of() { # LOCK NAME: the digest the lock pins NAME at
  jq -r --arg n "$2" '[.dependencies[] | select(.ecosystem == "oci" and .name == $n) | .digest][0] // "missing"' "$1"
}
held_of() { jq -r '[.held[] | "\(.ecosystem) \(.name) \(.version)"] | join(", ")' "$1"; }
registry_latest() { e2e_registry_digest "$E2E_REGISTRY" held-image latest 2>/dev/null || echo absent; }

# --- 1. baseline -----------------------------------------------------------------------------
ri_step "servers, busybox base and tool, baseline snapshot"
ri_servers
reg_base="$E2E_REGISTRY/base"
reg_tool="$E2E_REGISTRY/tool"
good="$(e2e_base_busybox "$E2E_REGISTRY" base:stable)"
tool1="$(e2e_base_busybox "$E2E_REGISTRY" tool:stable)"
project="$work/held"
# shellcheck disable=SC2016 # ${BASE}, ${TOOL}: Containerfile arguments
write_project "$project" held-image \
  'ARG BASE
ARG TOOL
FROM ${TOOL} AS tool
FROM ${BASE}
COPY --from=tool /etc/driftlock-base /etc/driftlock-tool' \
  "\"$reg_base\" = \"stable\"
\"$reg_tool\" = \"stable\""
snapshot="$project/snapshots/held-image.lock.json"
ri_driftlock resolve resolve -o snapshots/held-image.lock.json
check_eq "baseline: resolve exits 0" 0 "$status"
check_eq "baseline: the snapshot pins base:stable at the pushed digest" "$good" "$(digest_of "$snapshot" "$reg_base")"
check_eq "baseline: the snapshot pins tool:stable at the pushed digest" "$tool1" "$(digest_of "$snapshot" "$reg_tool")"
ri_git_init "held-image at its baseline"

# --- 2. a breaking base digest under the same tag -----------------------------------------------
ri_step "base:stable breaks, tool:stable moves; run"
broken="$(e2e_base_derive "$E2E_REGISTRY" base:stable break "broken 1")"
tool2="$(e2e_base_derive "$E2E_REGISTRY" tool:stable move "tool 2")"
check "setup: both tags moved to new digests" [ "$broken" != "$good" -a "$tool2" != "$tool1" ]
ri_driftlock run run --format json
check_eq "run: exit 1 (culprit named, the rest shipped)" 1 "$status"
check_eq "run: the only culprit is the base image" "oci $reg_base" \
  "$(jq -r '[.culprits[].changes[] | "\(.ecosystem) \(.name)"] | join(", ")' "$out" 2>/dev/null)"
check_eq "run: the tool change is shipped" "oci $reg_base culprit, oci $reg_tool shipped" \
  "$(jq -r '[.changes[] | "\(.ecosystem) \(.name) \(.result)"] | join(", ")' "$out" 2>/dev/null)"
check_eq "run: the snapshot keeps the base's old digest" "$good" "$(digest_of "$snapshot" "$reg_base")"
check_eq "run: the snapshot takes the tool's new digest" "$tool2" "$(digest_of "$snapshot" "$reg_tool")"
check_eq "run: the base is held by its breaking digest (held version = digest)" "oci $reg_base $broken" "$(held_of "$snapshot")"
check_eq "run: pushed once" 1 "$(ri_pushed_count)"
first_id="$(head -n 1 "$project/pushed.log" 2>/dev/null | cut -d' ' -f1)"
first_push="$(head -n 1 "$project/pushed.log" 2>/dev/null | cut -d' ' -f2)"
check_eq "run: the pushed candidate has the old base and the new tool" "$good $tool2" \
  "$(digest_of "$project/pushed/$first_id.lock.json" "$reg_base" 2>/dev/null) $(digest_of "$project/pushed/$first_id.lock.json" "$reg_tool" 2>/dev/null)"
check_eq "run: the registry serves the pushed image" "$first_push" "$(registry_latest)"
check_eq "run: the snapshot is committed (git status clean)" "" "$(ri_git status --porcelain)"
check "run: the held reason quotes the failing check" \
  jq -e '.held[0].reason | contains("FAIL base")' "$snapshot" >/dev/null
check "run: stderr has a start and an end line per probe" \
  [ "$(ri_started "$err")" -ge 3 -a "$(ri_started "$err")" = "$(ri_finished "$err")" ]
ri_show_if_failed
echo "    probes: $(jq -c '[.probes[]? | {n: .number, r: .round, s: .subset, o: .outcome}]' "$out" 2>/dev/null)"
echo "    builds $(jq -r .builds "$out" 2>/dev/null) (baseline and full candidate included)"

# --- 3. the day after: no drift while the tag still points at the held digest -------------------
ri_step "second run (tag still at the held digest)"
cp "$snapshot" "$work/snapshot.after-run"
commits_before="$(ri_commits)"
ri_driftlock second run
check_eq "second run: exit 0" 0 "$status"
check "second run: says 'no drift (held: oci $reg_base stable@$broken)'" \
  grep -qF "no drift (held: oci $reg_base stable@$broken)" "$out"
check_eq "second run: no probe started" 0 "$(ri_started "$err")"
check_eq "second run: nothing pushed" 1 "$(ri_pushed_count)"
check "second run: snapshot unchanged" cmp -s "$snapshot" "$work/snapshot.after-run"
check_eq "second run: no commit" "$commits_before" "$(ri_commits)"
ri_show_if_failed

# --- 4. the tag moves on to a good digest ----------------------------------------------------------
ri_step "base:stable moves to a good digest; run"
e2e_base_busybox "$E2E_REGISTRY" base:stable >/dev/null # back to the good image ...
fixed="$(e2e_base_derive "$E2E_REGISTRY" base:stable move "fixed 1")" # ... plus a line: a new digest
check "setup: the fixed digest is new" [ "$fixed" != "$good" -a "$fixed" != "$broken" ]
ri_driftlock fixed run --format json
check_eq "fixed run: exit 0 (shipped)" 0 "$status"
check_eq "fixed run: status shipped" shipped "$(jq -r .status "$out" 2>/dev/null)"
check_eq "fixed run: the one change is the base, shipped" "oci $reg_base shipped" \
  "$(jq -r '[.changes[] | "\(.ecosystem) \(.name) \(.result)"] | join(", ")' "$out" 2>/dev/null)"
check_eq "fixed run: the snapshot pins the fixed digest" "$fixed" "$(digest_of "$snapshot" "$reg_base")"
check_eq "fixed run: pushed again" 2 "$(ri_pushed_count)"
second_push="$(tail -n 1 "$project/pushed.log" 2>/dev/null | cut -d' ' -f2)"
check "fixed run: the new push is a new image" [ -n "$second_push" -a "$second_push" != "$first_push" ]
check_eq "fixed run: the registry serves the new push" "$second_push" "$(registry_latest)"
echo "    held after the fixed run: '$(held_of "$snapshot")'"
ri_show_if_failed

# --- 5. a multi-arch index -------------------------------------------------------------------------
ri_step "multi-arch index: build, push, resolve, check"
rootfs="$work/rootfs"
e2e_busybox_rootfs "$rootfs"
for arch in amd64 arm64; do
  container="$(buildah from -q scratch)"
  buildah copy -q "$container" "$rootfs/" / >/dev/null
  printf '%s instance\n' "$arch" >"$work/instance"
  buildah copy -q "$container" "$work/instance" /etc/driftlock-instance >/dev/null
  buildah config --os linux --arch "$arch" --cmd /bin/sh "$container"
  buildah commit -q --timestamp 0 "$container" "localhost/multi-$arch:latest" >/dev/null
  buildah rm "$container" >/dev/null
done
buildah manifest create localhost/multi-list >/dev/null
buildah manifest add --arch amd64 localhost/multi-list containers-storage:localhost/multi-amd64:latest >/dev/null
buildah manifest add --arch arm64 localhost/multi-list containers-storage:localhost/multi-arm64:latest >/dev/null
buildah manifest push -q --all --tls-verify=false --digestfile "$work/index.digest" \
  localhost/multi-list "docker://$E2E_REGISTRY/multi:stable"
index="$(cat "$work/index.digest")"
reg_multi="$E2E_REGISTRY/multi"
index_type="$(curl -fsSI -H 'Accept: application/vnd.oci.image.index.v1+json' \
  -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
  "http://$E2E_REGISTRY/v2/multi/manifests/$index" | tr -d '\r' | awk 'tolower($1) == "content-type:" { print $2 }')"
check_eq "multi: the registry serves multi:stable as an OCI index" application/vnd.oci.image.index.v1+json "$index_type"
check_eq "multi: the registry's digest for multi:stable is the pushed index" "$index" \
  "$(e2e_registry_digest "$E2E_REGISTRY" multi stable)"
amd64_digest="$(curl -fsS -H 'Accept: application/vnd.oci.image.index.v1+json' \
  "http://$E2E_REGISTRY/v2/multi/manifests/$index" | jq -r '.manifests[] | select(.platform.architecture == "amd64") | .digest')"
project="$work/multi"
# shellcheck disable=SC2016 # ${BASE}: a Containerfile argument
write_project "$project" multi-image \
  'ARG BASE
FROM ${BASE}
RUN grep -q "amd64 instance" /etc/driftlock-instance' \
  "\"$reg_multi\" = { range = \"stable\", key = \"BASE\" }"
ri_driftlock resolve resolve -o snapshots/multi-image.lock.json
check_eq "multi: resolve exits 0" 0 "$status"
pinned="$(digest_of "$project/snapshots/multi-image.lock.json" "$reg_multi" 2>/dev/null || echo missing)"
check_eq "multi: resolve pins the INDEX digest" "$index" "$pinned"
check "multi: ... not the amd64 instance's ($amd64_digest)" [ "$pinned" != "$amd64_digest" ]
ri_show_if_failed
ri_git_init "multi-image"
ri_driftlock check check --format json --quiet
check_eq "multi: check (FROM multi@<index digest>, amd64 instance) exits 0" 0 "$status"
check_eq "multi: --quiet: no progress lines on stderr" 0 "$(grep -c '^driftlock: probe ' "$err" || true)"
check_eq "multi: check status passed" passed "$(jq -r .status "$out" 2>/dev/null)"
check "multi: the build got BASE=$reg_multi@$index" \
  grep -rqxF "BASE=$reg_multi@$index" "$project/.driftlock" --include=build-args.env
ri_show_if_failed

ri_finish
