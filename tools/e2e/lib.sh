# shellcheck shell=bash
# tools/e2e/lib.sh: the real-image harness for driftlock's end-to-end tests
# and demos. Source it from bash (`source tools/e2e/lib.sh`); it defines
# functions only and changes no shell option. Everything listens on
# 127.0.0.1; nothing here reaches the internet except the one-time
# debootstrap (debian-base-cache), from the Debian mirror apt is configured
# with. Needs root (buildah, debootstrap, mounts). Results go to stdout,
# progress and errors to stderr; every function returns non-zero on failure.
#
# Servers (state in a folder, so a trap can always stop them):
#   e2e_registry_start STATE      docker-registry on a free port; prints 127.0.0.1:PORT
#   e2e_registry_stop STATE       TERM, wait, KILL (the registry needs 1-3 s)
#   e2e_registry_digest ADDR REPO REF   the manifest digest (OCI or Docker, index or not)
#   e2e_http_start STATE ROOT     static file server for ROOT; prints http://127.0.0.1:PORT
#   e2e_http_stop STATE
#   e2e_servers_start STATE       both, with an apt repository and a PyPI under
#                                 the static server; exports the E2E_* variables below
#   e2e_servers_stop STATE
# buildah:
#   e2e_buildah_env DIR [ADDR...] private storage in DIR, plain-http registries;
#                                 exports CONTAINERS_STORAGE_CONF,
#                                 CONTAINERS_REGISTRIES_CONF, BUILDAH_ISOLATION=chroot,
#                                 E2E_BUILDAH_DIR
#   e2e_buildah_cleanup [DIR]     removes containers, images, mounts and DIR
# Base images (pushed to ADDR/REPO:TAG; each prints the pushed digest):
#   e2e_base_busybox ADDR [REPO:TAG]          busybox-static rootfs, ~2 MB
#   e2e_base_debian ADDR [REPO:TAG]           the cached debootstrap (python3, pip)
#   e2e_base_derive ADDR REPO:TAG move|break LABEL
#                                 the same image plus a line LABEL in
#                                 /etc/driftlock-base, pushed under the same tag;
#                                 `break` also removes gzip (the real image's test needs it)
#   e2e_debian_mirror             the bookworm mirror from apt's sources
#   e2e_debian_tarball            the cached debootstrap tarball (made on first use)
# Package repositories (files; the static server serves them as they change):
#   e2e_apt_add ROOT NAME VERSION [--depends SPEC] [--broken]
#   e2e_apt_index ROOT
#   e2e_pypi_add ROOT NAME VERSION [--requires SPEC] [--source FILE] [--uploaded ISO]
#   e2e_pypi_yank ROOT NAME VERSION
# The examples/real-image scenario:
#   e2e_real_image_fixtures baseline|updates [--transitive]
#   e2e_real_image_fixtures transitive-updates
#   e2e_real_image_project DEST [--closure]   a copy of examples/real-image wired
#                                 to the servers (its [closure] kept with --closure)
#   e2e_real_image_baseline PROJECT [DRIFTLOCK]   writes its snapshot
#   e2e_cleanup STATE             stops the servers, removes buildah storage
#
# Variables exported by e2e_servers_start:
#   E2E_STATE      the state folder
#   E2E_REGISTRY   127.0.0.1:PORT of the OCI registry
#   E2E_HTTP_URL   http://127.0.0.1:PORT of the static server
#   E2E_APT_ROOT   folder of the apt repository; E2E_APT_URL its URL (…/debian)
#   E2E_PYPI_ROOT  folder of the PyPI; E2E_PYPI_URL its JSON API base (…/pypi);
#                  E2E_PIP_INDEX the simple index (…/pypi/simple)
# Settings read from the environment:
#   E2E_STORAGE_DRIVER     overlay (default; vfs when DIR is on overlayfs) or vfs
#   DRIFTLOCK_E2E_CACHE    where the debootstrap tarball is cached
#                          (default /var/cache/driftlock-e2e)
#   E2E_DEBIAN_MIRROR      the mirror for debootstrap (default: apt's sources)
#   E2E_APT_SUITE          suite of the loopback apt repository (default bookworm)

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
E2E_REPO="$(cd "$E2E_DIR/../.." && pwd)"
: "${E2E_APT_SUITE:=bookworm}"
# Debian's Python first: a version manager's shim in PATH can cost a second
# per call, and the harness calls Python often.
if [ -z "${E2E_PYTHON:-}" ]; then
  if [ -x /usr/bin/python3 ]; then E2E_PYTHON=/usr/bin/python3; else E2E_PYTHON=python3; fi
fi

e2e_log() { echo "e2e: $*" >&2; }
e2e_error() {
  echo "e2e: error: $*" >&2
  return 1
}

# --- processes -------------------------------------------------------------

# A free TCP port on 127.0.0.1 (the kernel's pick; a caller binding it later
# retries on the rare collision).
e2e_free_port() {
  "$E2E_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# PID is running (a zombie counts as gone).
e2e__alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [ "${stat%% *}" != Z ]
}

# PID's command line contains TEXT: a pid file is trusted only for the
# process that was started with this state folder (never a recycled pid).
e2e__owns() {
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$2"* ]]
}

# e2e_stop_pid_file FILE MARKER [GRACE_SECONDS]: TERM the process of FILE if
# its command line contains MARKER, KILL it after GRACE seconds (default 10),
# wait until it is gone, remove FILE.
e2e_stop_pid_file() {
  local file="$1" marker="$2" grace="${3:-10}" pid i
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && e2e__alive "$pid" && e2e__owns "$pid" "$marker"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
      e2e__alive "$pid" || break
      sleep 0.1
    done
    if e2e__alive "$pid"; then
      e2e_log "pid $pid did not stop after ${grace}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do
        e2e__alive "$pid" || break
        sleep 0.1
      done
    fi
  fi
  rm -f "$file"
}

# e2e__spawn PIDFILE LOG COMMAND...: starts COMMAND detached (a grandchild,
# so it is never left a zombie of the caller) with stdin from /dev/null and
# output appended to LOG; its pid goes to PIDFILE.
e2e__spawn() {
  local pidfile="$1" log="$2"
  shift 2
  rm -f "$pidfile"
  (
    "$@" </dev/null >>"$log" 2>&1 &
    echo $! >"$pidfile"
  )
}

# --- OCI registry ------------------------------------------------------------

e2e_registry_start() {
  [ $# -eq 1 ] || e2e_error "usage: e2e_registry_start STATE" || return
  command -v docker-registry >/dev/null || e2e_error "docker-registry is missing; run tools/install-deps" || return
  mkdir -p "$1/data" || return
  local state port attempt pid deadline
  state="$(cd "$1" && pwd)"
  if [ -f "$state/pid" ] && e2e__alive "$(cat "$state/pid")"; then
    e2e_error "a registry already runs in $state (pid $(cat "$state/pid"))"
    return
  fi
  for attempt in 1 2 3 4 5; do
    port="$(e2e_free_port)" || return
    cat >"$state/config.yml" <<YAML
version: 0.1
log:
  level: info
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $state/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
  secret: driftlock-e2e
YAML
    : >"$state/registry.log"
    e2e__spawn "$state/pid" "$state/registry.log" docker-registry serve "$state/config.yml"
    pid="$(cat "$state/pid")"
    deadline=$((SECONDS + 30))
    while :; do
      if ! e2e__alive "$pid"; then
        rm -f "$state/pid"
        if grep -q 'address already in use' "$state/registry.log"; then
          e2e_log "registry: port $port was taken; trying another (attempt $attempt)"
          continue 2
        fi
        tail -n 20 "$state/registry.log" >&2
        e2e_error "docker-registry exited at start; log: $state/registry.log"
        return
      fi
      # Our process says it listens (not another server that took the port)
      # and the API answers.
      if grep -q "listening on 127.0.0.1:$port" "$state/registry.log" &&
        curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/v2/" 2>/dev/null; then
        echo "127.0.0.1:$port" >"$state/addr"
        echo "127.0.0.1:$port"
        return 0
      fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        e2e_stop_pid_file "$state/pid" "$state/config.yml" 5
        e2e_error "docker-registry did not answer on 127.0.0.1:$port within 30 s; log: $state/registry.log"
        return
      fi
      sleep 0.1
    done
  done
  e2e_error "no free port for the registry after 5 attempts"
}

e2e_registry_stop() {
  [ $# -eq 1 ] || e2e_error "usage: e2e_registry_stop STATE" || return
  [ -d "$1" ] || return 0
  local state
  state="$(cd "$1" && pwd)"
  e2e_stop_pid_file "$state/pid" "$state/config.yml" 10
}

# e2e_registry_digest ADDR REPO REF: the digest the registry serves for
# REPO:REF (REF a tag or digest). Both OCI and Docker media types are
# accepted: buildah pushes OCI manifests, and a request for the Docker type
# alone gets a 404 or a converted manifest with another digest.
e2e_registry_digest() {
  [ $# -eq 3 ] || e2e_error "usage: e2e_registry_digest ADDR REPO REF" || return
  local headers digest
  headers="$(curl -fsS --max-time 10 -I \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    -H 'Accept: application/vnd.oci.image.index.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
    "http://$1/v2/$2/manifests/$3")" || e2e_error "no manifest for $2:$3 at $1" || return
  digest="$(printf '%s\n' "$headers" | tr -d '\r' | awk 'tolower($1) == "docker-content-digest:" { print $2 }')"
  [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || e2e_error "no digest for $2:$3 at $1 (got '$digest')" || return
  echo "$digest"
}

# --- static HTTP server ------------------------------------------------------

e2e_http_start() {
  [ $# -eq 2 ] || e2e_error "usage: e2e_http_start STATE ROOT" || return
  mkdir -p "$1" "$2" || return
  local state root pid port deadline
  state="$(cd "$1" && pwd)"
  root="$(cd "$2" && pwd)"
  if [ -f "$state/pid" ] && e2e__alive "$(cat "$state/pid")"; then
    e2e_error "a static server already runs in $state (pid $(cat "$state/pid"))"
    return
  fi
  rm -f "$state/port"
  : >"$state/http.log"
  # The server binds port 0 itself and then writes the port: no race.
  e2e__spawn "$state/pid" "$state/http.log" "$E2E_PYTHON" "$E2E_DIR/static-server.py" "$root" "$state/port"
  pid="$(cat "$state/pid")"
  deadline=$((SECONDS + 20))
  until [ -s "$state/port" ]; do
    if ! e2e__alive "$pid" || [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 20 "$state/http.log" >&2
      e2e_stop_pid_file "$state/pid" "$state/port" 2
      e2e_error "the static server did not start; log: $state/http.log"
      return
    fi
    sleep 0.05
  done
  port="$(cat "$state/port")"
  curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$port/" ||
    e2e_error "the static server does not answer on 127.0.0.1:$port" || return
  echo "http://127.0.0.1:$port"
}

e2e_http_stop() {
  [ $# -eq 1 ] || e2e_error "usage: e2e_http_stop STATE" || return
  [ -d "$1" ] || return 0
  local state
  state="$(cd "$1" && pwd)"
  e2e_stop_pid_file "$state/pid" "$state/port" 5
}

# --- all servers ---------------------------------------------------------------

# e2e_servers_start STATE: the registry (STATE/registry) and one static server
# (STATE/http) for STATE/www, which holds the apt repository (www/debian) and
# the PyPI (www/pypi), both empty. Exports the E2E_* variables (see the top)
# and writes them to STATE/servers.env. Call it directly, not in $(...).
e2e_servers_start() {
  [ $# -eq 1 ] || e2e_error "usage: e2e_servers_start STATE" || return
  mkdir -p "$1/www/debian" "$1/www/pypi" || return
  local state registry http
  state="$(cd "$1" && pwd)"
  registry="$(e2e_registry_start "$state/registry")" || return
  http="$(e2e_http_start "$state/http" "$state/www")" || {
    e2e_registry_stop "$state/registry"
    return 1
  }
  export E2E_STATE="$state"
  export E2E_REGISTRY="$registry"
  export E2E_HTTP_URL="$http"
  export E2E_APT_ROOT="$state/www/debian"
  export E2E_APT_URL="$http/debian"
  export E2E_PYPI_ROOT="$state/www/pypi"
  export E2E_PYPI_URL="$http/pypi"
  export E2E_PIP_INDEX="$http/pypi/simple"
  e2e_apt_index "$E2E_APT_ROOT" || return
  "$E2E_PYTHON" "$E2E_DIR/pypi.py" index "$E2E_PYPI_ROOT" --base-url "$E2E_PYPI_URL" || return
  {
    echo "E2E_STATE=$E2E_STATE"
    echo "E2E_REGISTRY=$E2E_REGISTRY"
    echo "E2E_HTTP_URL=$E2E_HTTP_URL"
    echo "E2E_APT_ROOT=$E2E_APT_ROOT"
    echo "E2E_APT_URL=$E2E_APT_URL"
    echo "E2E_PYPI_ROOT=$E2E_PYPI_ROOT"
    echo "E2E_PYPI_URL=$E2E_PYPI_URL"
    echo "E2E_PIP_INDEX=$E2E_PIP_INDEX"
  } >"$state/servers.env"
  e2e_log "registry $E2E_REGISTRY, apt $E2E_APT_URL, pypi $E2E_PYPI_URL"
}

e2e_servers_stop() {
  [ $# -eq 1 ] || e2e_error "usage: e2e_servers_stop STATE" || return
  e2e_http_stop "$1/http"
  e2e_registry_stop "$1/registry"
}

# --- buildah -----------------------------------------------------------------

# e2e_buildah_env DIR [ADDR...]: buildah storage of its own in DIR
# (E2E_STORAGE_DRIVER: overlay, the default, or vfs) and plain-http access to
# the registries ADDR (default $E2E_REGISTRY); no unqualified names are ever
# looked up elsewhere. Exports CONTAINERS_STORAGE_CONF,
# CONTAINERS_REGISTRIES_CONF, BUILDAH_ISOLATION=chroot and E2E_BUILDAH_DIR.
# Call it directly, not in $(...). Everything buildah then runs (also the
# example's ci/*.sh, which inherit the variables through driftlock) uses this
# storage; buildah still writes its blob-info cache under
# /var/lib/containers/cache and /etc/containers/networks.
e2e_buildah_env() {
  [ $# -ge 1 ] || e2e_error "usage: e2e_buildah_env DIR [ADDR...]" || return
  command -v buildah >/dev/null || e2e_error "buildah is missing; run tools/install-deps" || return
  local driver="${E2E_STORAGE_DRIVER:-}" dir addr
  mkdir -p "$1/graph" "$1/run" || return
  dir="$(cd "$1" && pwd)"
  shift
  # overlay is faster (a build+test+push cycle ~20 s against ~30 s with
  # vfs, cleanup 7-20 s against 28-60 s), but cannot stack on an overlay file
  # system (a CI job inside a container): vfs there.
  if [ -z "$driver" ]; then
    driver=overlay
    [ "$(stat -f -c %T "$dir")" != overlayfs ] || driver=vfs
  fi
  case "$driver" in
    overlay | vfs) ;;
    *) e2e_error "E2E_STORAGE_DRIVER must be overlay or vfs, not '$driver'" || return ;;
  esac
  [ $# -gt 0 ] || set -- ${E2E_REGISTRY:+"$E2E_REGISTRY"}
  cat >"$dir/storage.conf" <<TOML
[storage]
driver = "$driver"
graphroot = "$dir/graph"
runroot = "$dir/run"
TOML
  {
    echo 'unqualified-search-registries = []'
    for addr in "$@"; do
      [[ "$addr" =~ ^(127\.0\.0\.1|localhost):[0-9]+$ ]] ||
        e2e_error "registry '$addr' is not 127.0.0.1:PORT" || return
      printf '\n[[registry]]\nlocation = "%s"\ninsecure = true\n' "$addr"
    done
  } >"$dir/registries.conf"
  export CONTAINERS_STORAGE_CONF="$dir/storage.conf"
  export CONTAINERS_REGISTRIES_CONF="$dir/registries.conf"
  export BUILDAH_ISOLATION=chroot
  export E2E_BUILDAH_DIR="$dir"
}

# e2e_buildah_cleanup [DIR]: removes every container and image of DIR's
# storage (default $E2E_BUILDAH_DIR), unmounts whatever is still mounted below
# DIR (overlay layers, the storage's own bind mounts), then removes DIR.
e2e_buildah_cleanup() {
  local dir="${1:-${E2E_BUILDAH_DIR:-}}" mounts mount
  [ -n "$dir" ] || return 0
  [ -d "$dir" ] || return 0
  dir="$(cd "$dir" && pwd)"
  if [ -f "$dir/storage.conf" ]; then
    CONTAINERS_STORAGE_CONF="$dir/storage.conf" buildah rm --all >/dev/null 2>&1 || true
    CONTAINERS_STORAGE_CONF="$dir/storage.conf" buildah rmi --all --force >/dev/null 2>&1 || true
  fi
  # Deepest first. Mount points are field 5 of mountinfo (spaces as \040;
  # our folders have none).
  mounts="$(awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r)"
  for mount in $mounts; do
    umount "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null || e2e_log "cannot unmount $mount"
  done
  rm -rf "$dir"
  if [ "${E2E_BUILDAH_DIR:-}" = "$dir" ]; then
    unset CONTAINERS_STORAGE_CONF CONTAINERS_REGISTRIES_CONF E2E_BUILDAH_DIR
  fi
}

# --- base images ---------------------------------------------------------------

e2e__check_ref() { # ADDR REPO:TAG
  [[ "$1" =~ ^(127\.0\.0\.1|localhost):[0-9]+$ ]] || e2e_error "registry '$1' is not 127.0.0.1:PORT" || return
  [[ "$2" =~ ^[a-z0-9]+([._/-][a-z0-9]+)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] ||
    e2e_error "'$2' is not REPO:TAG" || return
  [ -n "${CONTAINERS_STORAGE_CONF:-}" ] || e2e_error "call e2e_buildah_env first" || return
}

# e2e__commit_push CONTAINER ADDR REPO:TAG: commits with --timestamp 0 (the
# digest depends on the content only), pushes, removes the container, prints
# the digest the registry serves.
e2e__commit_push() {
  local container="$1" addr="$2" ref="$3" digestfile
  digestfile="$(mktemp)" || return
  if ! buildah commit -q --timestamp 0 "$container" "$addr/$ref" >/dev/null ||
    ! buildah push -q --tls-verify=false --digestfile "$digestfile" "$addr/$ref" "docker://$addr/$ref"; then
    rm -f "$digestfile"
    buildah rm "$container" >/dev/null 2>&1
    e2e_error "cannot commit or push $addr/$ref"
    return
  fi
  buildah rm "$container" >/dev/null || true
  cat "$digestfile"
  echo
  rm -f "$digestfile"
}

# e2e__image_from SOURCE ADDR REPO:TAG CMD: an image whose root is SOURCE (a
# folder or a tar archive), pushed; prints the digest.
e2e__image_from() {
  local source="$1" addr="$2" ref="$3" cmd="$4" container
  container="$(buildah from -q scratch)" || return
  if [ -d "$source" ]; then
    buildah copy -q "$container" "$source/" / >/dev/null
  else
    buildah add -q "$container" "$source" / >/dev/null
  fi || {
    buildah rm "$container" >/dev/null 2>&1
    e2e_error "cannot copy $source into an image"
    return
  }
  buildah config --cmd "$cmd" --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --label org.opencontainers.image.title=driftlock-e2e-base "$container" || return
  e2e__commit_push "$container" "$addr" "$ref"
}

# e2e_busybox_rootfs DIR: a root file system of busybox-static with a link
# per applet (/bin/sh, /bin/gzip, ...), /etc/passwd, /tmp and
# /etc/driftlock-base.
e2e_busybox_rootfs() {
  [ $# -eq 1 ] || e2e_error "usage: e2e_busybox_rootfs DIR" || return
  local busybox=/bin/busybox
  [ -x "$busybox" ] || e2e_error "$busybox is missing; run tools/install-deps (busybox-static)" || return
  # The dynamically linked busybox would need a libc in the image.
  # (ldd exits 1 for a static binary: read its words, not its status.)
  [[ "$(LC_ALL=C ldd "$busybox" 2>&1 || true)" == *"not a dynamic executable"* ]] ||
    e2e_error "$busybox is not statically linked; install busybox-static" || return
  mkdir -p "$1/bin" "$1/etc" "$1/root" "$1/tmp" "$1/usr/bin" || return
  chmod 1777 "$1/tmp"
  cp "$busybox" "$1/bin/busybox" || return
  # One process for ~270 links (a fork per `ln` costs seconds on a busy machine).
  "$busybox" --list | "$E2E_PYTHON" -c '
import os, sys
for applet in sys.stdin.read().split():
    link = os.path.join(sys.argv[1], applet)
    if applet != "busybox" and not os.path.lexists(link):
        os.symlink("busybox", link)
' "$1/bin" || return
  echo 'root:x:0:0:root:/root:/bin/sh' >"$1/etc/passwd"
  echo 'root:x:0:' >"$1/etc/group"
  echo 'driftlock e2e base' >"$1/etc/driftlock-base"
}

# e2e_base_busybox ADDR [REPO:TAG]: pushes a busybox image (default
# base:stable); prints its digest. Same busybox, same digest.
e2e_base_busybox() {
  [ $# -ge 1 ] && [ $# -le 2 ] || e2e_error "usage: e2e_base_busybox ADDR [REPO:TAG]" || return
  local addr="$1" ref="${2:-base:stable}" rootfs digest=""
  e2e__check_ref "$addr" "$ref" || return
  rootfs="$(mktemp -d)" || return
  if e2e_busybox_rootfs "$rootfs"; then
    digest="$(e2e__image_from "$rootfs" "$addr" "$ref" /bin/sh)" || digest=""
  fi
  rm -rf "$rootfs"
  [ -n "$digest" ] || return 1
  echo "$digest"
}

# e2e_debian_mirror: the URI of the first enabled `deb` source for bookworm
# with component main in /etc/apt/sources.list, sources.list.d/*.list and
# *.sources (E2E_DEBIAN_MIRROR overrides). Read at run time, never written
# into a file of the project.
e2e_debian_mirror() {
  if [ -n "${E2E_DEBIAN_MIRROR:-}" ]; then
    echo "$E2E_DEBIAN_MIRROR"
    return 0
  fi
  "$E2E_PYTHON" - <<'PY'
import glob, re, sys

def one_line(path):
    for line in open(path, errors="replace"):
        words = line.split("#", 1)[0].split()
        if not words or words[0] != "deb":
            continue
        words = words[1:]
        if words and words[0].startswith("["):
            while words and not words[0].endswith("]"):
                words = words[1:]
            words = words[1:]
        if len(words) >= 3:
            yield words[0], [words[1]], words[2:]

def deb822(path):
    for stanza in re.split(r"\n\s*\n", open(path, errors="replace").read()):
        fields, key = {}, None
        for line in stanza.splitlines():
            if line.startswith("#") or not line.strip():
                continue
            if line[0] in " \t" and key:
                fields[key] += " " + line.strip()
            elif ":" in line:
                key, value = line.split(":", 1)
                key = key.strip().lower()
                fields[key] = value.strip()
        if fields.get("enabled", "yes").lower() == "no" or "deb" not in fields.get("types", "").split():
            continue
        for uri in fields.get("uris", "").split():
            yield uri, fields.get("suites", "").split(), fields.get("components", "").split()

files = [("/etc/apt/sources.list", one_line)]
files += [(p, one_line) for p in sorted(glob.glob("/etc/apt/sources.list.d/*.list"))]
files += [(p, deb822) for p in sorted(glob.glob("/etc/apt/sources.list.d/*.sources"))]
for path, reader in files:
    try:
        for uri, suites, components in reader(path):
            if "bookworm" in suites and "main" in components and re.match(r"^(https?|file):", uri):
                print(uri.rstrip("/"))
                sys.exit(0)
    except OSError:
        pass
sys.exit("e2e: error: no bookworm main source in apt's sources; set E2E_DEBIAN_MIRROR")
PY
}

# e2e_debian_tarball: the path of the cached minbase tarball
# ($DRIFTLOCK_E2E_CACHE/bookworm-minbase.tar), made by debian-base-cache on
# first use (about 4 minutes; a lock makes parallel callers wait for it).
e2e_debian_tarball() {
  local tarball="${DRIFTLOCK_E2E_CACHE:-/var/cache/driftlock-e2e}/bookworm-minbase.tar"
  [ -s "$tarball" ] || "$E2E_DIR/debian-base-cache" >&2 || return
  echo "$tarball"
}

# e2e_base_debian ADDR [REPO:TAG]: pushes the cached Debian bookworm minbase
# (python3, python3-pip, no apt sources) as ADDR/REPO:TAG (default
# base:stable); prints its digest. About 10-15 s.
e2e_base_debian() {
  [ $# -ge 1 ] && [ $# -le 2 ] || e2e_error "usage: e2e_base_debian ADDR [REPO:TAG]" || return
  local addr="$1" ref="${2:-base:stable}" tarball
  e2e__check_ref "$addr" "$ref" || return
  tarball="$(e2e_debian_tarball)" || return
  e2e__image_from "$tarball" "$addr" "$ref" /bin/bash
}

# e2e_base_derive ADDR REPO:TAG move|break LABEL: the image now behind the
# tag plus the line LABEL in /etc/driftlock-base, pushed under the same tag:
# the base "moved" (a new digest). `break` also removes gzip, which the real
# image's test requires (and nothing in its build uses). Prints the new digest.
e2e_base_derive() {
  [ $# -eq 4 ] || e2e_error "usage: e2e_base_derive ADDR REPO:TAG move|break LABEL" || return
  local addr="$1" ref="$2" mode="$3" label="$4" container
  e2e__check_ref "$addr" "$ref" || return
  [[ "$label" =~ ^[A-Za-z0-9][A-Za-z0-9\ ._:-]{0,80}$ ]] || e2e_error "LABEL '$label' must be plain words" || return
  case "$mode" in move | break) ;; *) e2e_error "mode must be move or break, not '$mode'" || return ;; esac
  container="$(buildah from -q --pull-always --tls-verify=false "docker://$addr/$ref")" || return
  # The label goes in as an argument, never as shell text.
  # shellcheck disable=SC2016
  buildah run "$container" -- /bin/sh -c 'printf "%s\n" "$1" >>/etc/driftlock-base' sh "$label" || {
    buildah rm "$container" >/dev/null 2>&1
    return 1
  }
  if [ "$mode" = break ]; then
    buildah run "$container" -- /bin/sh -c 'rm -f /bin/gzip /usr/bin/gzip' || {
      buildah rm "$container" >/dev/null 2>&1
      return 1
    }
  fi
  e2e__commit_push "$container" "$addr" "$ref"
}

# --- apt repository ------------------------------------------------------------

# e2e_apt_add ROOT NAME VERSION [--depends SPEC] [--broken]: builds NAME_VERSION_all.deb
# into ROOT/pool/main/ and re-indexes ROOT. The package holds /usr/bin/NAME,
# which prints "NAME VERSION"; --broken makes it print that and exit 1.
# --depends sets the Depends field (e.g. "dl-lib (>= 2)"). Reproducible:
# the same arguments give the same bytes (SOURCE_DATE_EPOCH=0).
e2e_apt_add() {
  [ $# -ge 3 ] || e2e_error "usage: e2e_apt_add ROOT NAME VERSION [--depends SPEC] [--broken]" || return
  local root="$1" name="$2" version="$3" depends="" broken=0 pkg
  shift 3
  while [ $# -gt 0 ]; do
    case "$1" in
      --depends) depends="$2" && shift 2 ;;
      --broken) broken=1 && shift ;;
      *) e2e_error "e2e_apt_add: unknown option '$1'" || return ;;
    esac
  done
  [[ "$name" =~ ^[a-z0-9][a-z0-9+.-]+$ ]] || e2e_error "invalid Debian package name '$name'" || return
  [[ "$version" =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || e2e_error "invalid Debian version '$version'" || return
  local relation='[a-z0-9][a-z0-9+.-]+( \((<<|<=|=|>=|>>) [0-9][A-Za-z0-9.+~-]*\))?'
  [ -z "$depends" ] || [[ "$depends" =~ ^$relation(,\ ?$relation)*$ ]] ||
    e2e_error "invalid Depends '$depends' (expected e.g. 'dl-lib (>= 2), dl-other')" || return
  mkdir -p "$root/pool/main" || return
  pkg="$(mktemp -d)" || return
  mkdir -p "$pkg/DEBIAN" "$pkg/usr/bin"
  {
    echo "Package: $name"
    echo "Version: $version"
    echo "Architecture: all"
    echo "Maintainer: driftlock e2e <e2e@driftlock.invalid>"
    [ -z "$depends" ] || echo "Depends: $depends"
    echo "Section: misc"
    echo "Priority: optional"
    echo "Description: driftlock end-to-end fixture"
    echo " Prints its name and version."
  } >"$pkg/DEBIAN/control"
  {
    echo '#!/bin/sh'
    echo "echo '$name $version'"
    [ "$broken" -eq 0 ] || echo "echo '$name: broken release' >&2; exit 1"
  } >"$pkg/usr/bin/$name"
  chmod 0755 "$pkg/usr/bin/$name" "$pkg/usr/bin" "$pkg/usr" "$pkg"
  find "$pkg" -exec touch -h -d @0 {} +
  SOURCE_DATE_EPOCH=0 dpkg-deb --root-owner-group -Zgzip --build "$pkg" \
    "$root/pool/main/${name}_${version}_all.deb" >/dev/null || {
    rm -rf "$pkg"
    e2e_error "dpkg-deb failed for $name $version"
    return
  }
  rm -rf "$pkg"
  e2e_apt_index "$root"
}

# e2e_apt_index ROOT: dists/$E2E_APT_SUITE/main/binary-ARCH/Packages and
# Packages.gz (every version in pool/, dpkg-scanpackages -m) and the
# suite's Release with their sizes and MD5/SHA256 sums, the files driftlock's
# Debian datasource and apt read. Unsigned: clients use [trusted=yes].
e2e_apt_index() {
  [ $# -eq 1 ] || e2e_error "usage: e2e_apt_index ROOT" || return
  local root arch suite="$E2E_APT_SUITE" list errors file
  mkdir -p "$1/pool/main" || return
  root="$(cd "$1" && pwd)"
  arch="$(dpkg --print-architecture)" || return
  list="dists/$suite/main/binary-$arch"
  mkdir -p "$root/$list" || return
  errors="$(mktemp)" || return
  (cd "$root" && dpkg-scanpackages -m pool /dev/null >"$list/Packages.new" 2>"$errors") || {
    cat "$errors" >&2
    rm -f "$errors"
    e2e_error "dpkg-scanpackages failed in $root"
    return
  }
  rm -f "$errors"
  gzip -9n -c "$root/$list/Packages.new" >"$root/$list/Packages.gz.new" || return
  mv "$root/$list/Packages.new" "$root/$list/Packages"
  mv "$root/$list/Packages.gz.new" "$root/$list/Packages.gz"
  {
    echo "Origin: driftlock-e2e"
    echo "Label: driftlock-e2e"
    echo "Suite: $suite"
    echo "Codename: $suite"
    echo "Date: $(LC_ALL=C date -u -R)"
    echo "Architectures: $arch all"
    echo "Components: main"
    echo "Description: driftlock end-to-end fixtures"
    echo "MD5Sum:"
    for file in Packages Packages.gz; do
      printf ' %s %s %s\n' "$(md5sum <"$root/$list/$file" | cut -d' ' -f1)" \
        "$(stat -c %s "$root/$list/$file")" "main/binary-$arch/$file"
    done
    echo "SHA256:"
    for file in Packages Packages.gz; do
      printf ' %s %s %s\n' "$(sha256sum <"$root/$list/$file" | cut -d' ' -f1)" \
        "$(stat -c %s "$root/$list/$file")" "main/binary-$arch/$file"
    done
  } >"$root/dists/$suite/Release.new"
  mv "$root/dists/$suite/Release.new" "$root/dists/$suite/Release"
}

# --- PyPI ------------------------------------------------------------------------

# e2e_pypi_add ROOT NAME VERSION [--requires SPEC]... [--source FILE] [--uploaded ISO]:
# a wheel into ROOT/files and the indexes rewritten (see pypi.py).
e2e_pypi_add() {
  [ $# -ge 3 ] || e2e_error "usage: e2e_pypi_add ROOT NAME VERSION [options]" || return
  "$E2E_PYTHON" "$E2E_DIR/pypi.py" add "$@"
}

e2e_pypi_yank() {
  [ $# -eq 3 ] || e2e_error "usage: e2e_pypi_yank ROOT NAME VERSION" || return
  "$E2E_PYTHON" "$E2E_DIR/pypi.py" yank "$@"
}

# --- the examples/real-image scenario ----------------------------------------------

# e2e_real_image_fixtures SET [--transitive]: publishes to the servers of
# e2e_servers_start (E2E_APT_ROOT, E2E_PYPI_ROOT, E2E_REGISTRY):
#   baseline: dl-hello 1.0.0 (apt), dl-greet 1.0.0 and dl-calc 1.0.0 (PyPI);
#   updates:  dl-hello 1.1.0, dl-greet 1.1.0 (harmless), dl-calc 2.0.0
#             (renames add() to plus(): breaks the image's test), and the
#             base image behind base:stable moves (harmless; the base must
#             have been pushed, e.g. with e2e_base_debian).
# --transitive adds a sub-dependency nobody names: every dl-greet requires
# dl-sub (>=1) and greets through its fmt(); baseline also publishes dl-sub
# 1.0.0, updates also dl-sub 2.0.0 (drops the comma: "hello ci", which the
# image's dl-greet test catches). transitive-updates is that part alone:
# dl-greet 1.1.0 (harmless) and dl-sub 2.0.0 (breaks).
e2e_real_image_fixtures() {
  [ $# -ge 1 ] && [ $# -le 2 ] && { [ $# -eq 1 ] || [ "$2" = --transitive ]; } ||
    e2e_error "usage: e2e_real_image_fixtures baseline|updates [--transitive] | transitive-updates" || return
  [ -n "${E2E_APT_ROOT:-}" ] && [ -n "${E2E_PYPI_ROOT:-}" ] || e2e_error "call e2e_servers_start first" || return
  local which="$1" transitive="${2:-}" src old=2026-01-01T00:00:00.000000Z
  src="$(mktemp -d)" || return
  cat >"$src/greet.py" <<'PY'
def greet(name):
    return "hello, %s" % name
PY
  cat >"$src/greet-1.1.py" <<'PY'
def greet(name):
    return "hello, %s" % name


def greet_all(names):
    return [greet(name) for name in names]
PY
  cat >"$src/calc-1.py" <<'PY'
def add(a, b):
    return a + b
PY
  cat >"$src/calc-2.py" <<'PY'
# 2.0.0: add() is now plus() (the breaking change the image's test catches).
def plus(*numbers):
    return sum(numbers)
PY
  # --transitive: dl-greet formats through dl-sub, which nobody names.
  cat >"$src/greet-sub.py" <<'PY'
from dl_sub import fmt


def greet(name):
    return fmt("hello", name)
PY
  cat >"$src/greet-sub-1.1.py" <<'PY'
from dl_sub import fmt


def greet(name):
    return fmt("hello", name)


def greet_all(names):
    return [greet(name) for name in names]
PY
  cat >"$src/sub-1.py" <<'PY'
def fmt(word, name):
    return "%s, %s" % (word, name)
PY
  cat >"$src/sub-2.py" <<'PY'
# 2.0.0: no comma any more (the change the image's dl-greet test catches).
def fmt(word, name):
    return "%s %s" % (word, name)
PY
  # e2e__greet VERSION SUFFIX UPLOADED: dl-greet, requiring dl-sub with --transitive.
  e2e__greet() {
    if [ -n "$transitive" ] || [ "$which" = transitive-updates ]; then
      e2e_pypi_add "$E2E_PYPI_ROOT" dl-greet "$1" --requires "dl-sub>=1" --source "$src/greet-sub$2.py" --uploaded "$3"
    else
      e2e_pypi_add "$E2E_PYPI_ROOT" dl-greet "$1" --source "$src/greet$2.py" --uploaded "$3"
    fi
  }
  local status=0
  case "$which" in
    baseline)
      e2e_apt_add "$E2E_APT_ROOT" dl-hello 1.0.0 &&
        { [ -z "$transitive" ] || e2e_pypi_add "$E2E_PYPI_ROOT" dl-sub 1.0.0 --source "$src/sub-1.py" --uploaded "$old"; } &&
        e2e__greet 1.0.0 "" "$old" &&
        e2e_pypi_add "$E2E_PYPI_ROOT" dl-calc 1.0.0 --source "$src/calc-1.py" --uploaded "$old" || status=1
      ;;
    updates)
      e2e_apt_add "$E2E_APT_ROOT" dl-hello 1.1.0 &&
        e2e__greet 1.1.0 -1.1 2026-02-01T00:00:00.000000Z &&
        e2e_pypi_add "$E2E_PYPI_ROOT" dl-calc 2.0.0 --source "$src/calc-2.py" --uploaded 2026-02-02T00:00:00.000000Z &&
        { [ -z "$transitive" ] || e2e_pypi_add "$E2E_PYPI_ROOT" dl-sub 2.0.0 --source "$src/sub-2.py" --uploaded 2026-02-03T00:00:00.000000Z; } &&
        e2e_base_derive "$E2E_REGISTRY" base:stable move "update 1" >/dev/null || status=1
      ;;
    transitive-updates)
      [ -z "$transitive" ] || e2e_error "transitive-updates takes no --transitive" || status=1
      [ "$status" -ne 0 ] ||
        { e2e__greet 1.1.0 -1.1 2026-02-01T00:00:00.000000Z &&
          e2e_pypi_add "$E2E_PYPI_ROOT" dl-sub 2.0.0 --source "$src/sub-2.py" --uploaded 2026-02-03T00:00:00.000000Z; } || status=1
      ;;
    *) e2e_error "unknown fixture set '$which' (baseline, updates or transitive-updates)" || status=1 ;;
  esac
  unset -f e2e__greet
  rm -rf "$src"
  return "$status"
}

# e2e_real_image_project DEST [--closure]: copies examples/real-image to DEST
# and writes the servers' addresses into its driftlock.toml (the example is
# written with 127.0.0.1:5000 for the registry and http://127.0.0.1:8080 for
# the static server). The example's [closure] table (pypi = "./ci/closure.sh":
# the snapshot pins what pip installed, dl-sub included) is kept only with
# --closure; without it the snapshot pins the named packages only.
e2e_real_image_project() {
  [ $# -eq 1 ] || { [ $# -eq 2 ] && [ "$2" = --closure ]; } ||
    e2e_error "usage: e2e_real_image_project DEST [--closure]" || return
  [[ "${E2E_REGISTRY:-}" =~ ^127\.0\.0\.1:[0-9]+$ ]] || e2e_error "E2E_REGISTRY is not set; call e2e_servers_start" || return
  [[ "${E2E_HTTP_URL:-}" =~ ^http://127\.0\.0\.1:[0-9]+$ ]] || e2e_error "E2E_HTTP_URL is not set; call e2e_servers_start" || return
  local src="$E2E_REPO/examples/real-image"
  mkdir -p "$1" || return
  cp -R "$src/." "$1/" || return
  rm -rf "$1/work" "$1/pushed" "$1/pushed.log"
  sed -i -e "s#127\.0\.0\.1:5000#$E2E_REGISTRY#g" -e "s#http://127\.0\.0\.1:8080#$E2E_HTTP_URL#g" \
    "$1/driftlock.toml" "$1/snapshots/real-image.lock.json" || return
  [ "${2:-}" = --closure ] && return 0
  # Without --closure: the [closure] table's lines go (its header up to the
  # next blank line), so the snapshot pins the named packages only.
  sed -i '/^\[closure\]$/,/^$/d' "$1/driftlock.toml" || return
  ! grep -q '^\[closure\]' "$1/driftlock.toml" || e2e_error "could not drop [closure] from $1/driftlock.toml"
}

# e2e_real_image_baseline PROJECT [DRIFTLOCK]: writes PROJECT's snapshot
# (snapshots/real-image.lock.json) from what the servers offer now: with a
# driftlock binary, `driftlock resolve -o` (versions, digests, publish
# times); without, the newest versions of dl-hello, dl-greet and dl-calc and
# the digest of base:stable, in snapshot format v1. Run it after
# `e2e_real_image_fixtures baseline` and before `updates`.
e2e_real_image_baseline() {
  [ $# -ge 1 ] && [ $# -le 2 ] || e2e_error "usage: e2e_real_image_baseline PROJECT [DRIFTLOCK]" || return
  local project="$1" driftlock="${2:-}" snapshot base
  snapshot="$project/snapshots/real-image.lock.json"
  if [ -n "$driftlock" ]; then
    (cd "$project" && "$driftlock" resolve -m driftlock.toml -o snapshots/real-image.lock.json >&2) ||
      e2e_error "driftlock resolve failed in $project" || return
    return 0
  fi
  base="$(e2e_registry_digest "$E2E_REGISTRY" base stable)" || return
  "$E2E_PYTHON" - "$snapshot" "$E2E_REGISTRY" "$base" "$E2E_APT_ROOT" "$E2E_PYPI_ROOT" <<'PY' || return
import json, re, sys
snapshot, registry, base, apt_root, pypi_root = sys.argv[1:]
def newest(versions):
    return max(versions, key=lambda v: [int(p) for p in v.split(".")])
deps = [{"ecosystem": "oci", "name": registry + "/base", "version": "stable", "digest": base}]
import glob
packages = "\n\n".join(open(p).read() for p in glob.glob(apt_root + "/dists/*/main/binary-*/Packages"))
hello = {re.search(r"^Version: (.*)$", s, re.M).group(1): re.search(r"^SHA256: (.*)$", s, re.M).group(1)
         for s in packages.split("\n\n") if re.search(r"^Package: dl-hello$", s, re.M)}
version = newest(list(hello))
deps.append({"ecosystem": "debian", "name": "dl-hello", "version": version, "digest": "sha256:" + hello[version]})
for name in ("dl-calc", "dl-greet"):
    releases = json.load(open("%s/pypi/%s/json" % (pypi_root, name)))["releases"]
    version = newest(list(releases))
    deps.append({"ecosystem": "pypi", "name": name, "version": version,
                 "digest": "sha256:" + releases[version][0]["digests"]["sha256"],
                 "published": releases[version][0]["upload_time_iso_8601"][:19] + "Z"})
deps.sort(key=lambda d: (d["ecosystem"], d["name"]))
doc = {"format": "driftlock-snapshot", "version": 1, "image": "real-image",
       "created": "2026-01-01T00:00:00Z", "dependencies": deps, "held": []}
with open(snapshot, "w") as out:
    out.write(json.dumps(doc, indent=2) + "\n")
PY
}

# e2e_cleanup STATE: stops the servers of STATE and removes the buildah
# storage of e2e_buildah_env ($E2E_BUILDAH_DIR). Safe to call twice and from
# an EXIT trap.
e2e_cleanup() {
  [ $# -eq 1 ] || e2e_error "usage: e2e_cleanup STATE" || return
  e2e_buildah_cleanup "${E2E_BUILDAH_DIR:-}" || true
  e2e_servers_stop "$1" || true
}
