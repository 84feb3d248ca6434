#!/usr/bin/env bash
# Builds the local base image cms/debian-jre17:bookworm (Debian bookworm + OpenJDK 17 JRE, headless)
# from Debian's packages, for machines that cannot pull images from a registry:
#   debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates bookworm ROOTFS MIRROR
#   tar -C ROOTFS -c . | docker import - cms/debian-jre17:bookworm
# MIRROR is the Debian mirror apt on this machine already uses (CMS_DEBIAN_MIRROR overrides it;
# the fallback is http://deb.debian.org/debian). Does nothing if the image exists, unless --force.
# Needs root (debootstrap), debootstrap and a running Docker engine. Takes about 1-3 minutes.
#
# Usage: deploy/images/base/build-base.sh [--force]
set -euo pipefail

IMAGE="cms/debian-jre17:bookworm"
SUITE="bookworm"
FALLBACK_MIRROR="http://deb.debian.org/debian"
# The imported image has no environment at all; give it the usual PATH plus the JRE's bin directory.
IMAGE_PATH="/usr/lib/jvm/java-17-openjdk-amd64/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

log() { echo "build-base: $*"; }
die() { echo "build-base: ERROR: $*" >&2; exit 1; }

force=""
for arg in "$@"; do
  case "$arg" in
    --force|-f) force=yes ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$arg' (usage: $0 [--force])" ;;
  esac
done

command -v docker >/dev/null 2>&1 || die "the docker CLI is not installed"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer ('docker info' failed); start dockerd first"

if [ -z "$force" ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "$IMAGE already exists, nothing to do (use --force to rebuild it)"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "debootstrap needs root; run this script as root (e.g. with sudo)"
command -v debootstrap >/dev/null 2>&1 || die "debootstrap is not installed (apt-get install -y debootstrap)"

# One build at a time on this machine (a second caller waits, then finds the image).
lock="${TMPDIR:-/tmp}/cms-build-base.lock"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$lock"
  if ! flock -n 9; then
    log "another build of $IMAGE is running; waiting for it"
    flock 9
    if [ -z "$force" ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
      log "$IMAGE was built meanwhile, nothing to do"
      exit 0
    fi
  fi
fi

# Prints the URI of the first enabled "deb" source for $SUITE found in apt's configuration:
# deb822 files (*.sources) and one-line files (sources.list, *.list). Prints nothing if none.
apt_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    awk -v suite="$SUITE" '
      BEGIN { RS = ""; FS = "\n" }          # one deb822 stanza per record
      {
        types = ""; uris = ""; suites = ""; enabled = "yes"; key = ""
        for (i = 1; i <= NF; i++) {
          line = $i
          if (line ~ /^#/) continue
          if (line ~ /^[ \t]/) {            # continuation of the previous field
            if (key == "uris") uris = uris " " line
            else if (key == "suites") suites = suites " " line
            else if (key == "types") types = types " " line
            continue
          }
          p = index(line, ":"); if (p == 0) continue
          key = tolower(substr(line, 1, p - 1)); val = substr(line, p + 1)
          if (key == "types") types = val
          else if (key == "uris") uris = val
          else if (key == "suites") suites = val
          else if (key == "enabled") enabled = tolower(val)
        }
        gsub(/^[ \t]+|[ \t]+$/, "", enabled)
        if (enabled == "no") next
        if ((" " types " ") !~ /[ \t]deb[ \t]/) next
        if ((" " suites " ") !~ ("[ \t]" suite "[ \t]")) next
        n = split(uris, u, /[ \t]+/)
        for (j = 1; j <= n; j++) if (u[j] != "") { print u[j]; exit }
      }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    # deb [options] URI SUITE COMPONENT...
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk -v suite="$SUITE" '$1 == "deb" && $3 == suite { print $2 }'
  done
}

mirror="${CMS_DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  mirror=$(apt_mirror | head -n 1 || true)
fi
mirror="${mirror%/}"
case "$mirror" in
  http://*|https://*|file:/*) ;;
  "") mirror="$FALLBACK_MIRROR"; log "no $SUITE mirror found in apt's sources; using $mirror" ;;
  *) log "apt's mirror '$mirror' cannot be used by debootstrap; using $FALLBACK_MIRROR"; mirror="$FALLBACK_MIRROR" ;;
esac

workdir=$(mktemp -d "${TMPDIR:-/tmp}/cms-base-rootfs.XXXXXX")
rootfs="$workdir/rootfs"
cleanup() {
  # debootstrap may leave /proc, /sys or bind-mounted /dev entries mounted in the rootfs when it
  # fails: unmount those (deepest first) before deleting, and never cross into another file system.
  local m
  if [ -r /proc/mounts ]; then
    awk -v root="$workdir/" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
  fi
  rm -rf --one-file-system "$workdir" 2>/dev/null || rm -rf "$workdir" || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start=$(date +%s)
log "building $IMAGE with debootstrap from $mirror (this takes 1-3 minutes; rootfs in $rootfs)"
debootstrap_log="$workdir/debootstrap.log"
if ! debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
      "$SUITE" "$rootfs" "$mirror" >"$debootstrap_log" 2>&1; then
  echo "build-base: ERROR: debootstrap failed; the end of its output:" >&2
  tail -n 30 "$debootstrap_log" >&2
  [ -r "$rootfs/debootstrap/debootstrap.log" ] && { echo "--- $rootfs/debootstrap/debootstrap.log:" >&2; tail -n 30 "$rootfs/debootstrap/debootstrap.log" >&2; }
  exit 1
fi
bootstrapped=$(date +%s)
[ -x "$rootfs/usr/lib/jvm/java-17-openjdk-amd64/bin/java" ] || [ -e "$rootfs/usr/bin/java" ] \
  || die "debootstrap finished but the rootfs has no java"
log "debootstrap done in $((bootstrapped - start)) s ($(du -sh --one-file-system "$rootfs" | cut -f1))"

old_id=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
# Downloaded .debs and apt's package lists are not needed in the image (apt-get update brings the lists back).
tar -C "$rootfs" --numeric-owner \
    --exclude='./var/cache/apt/archives/*.deb' \
    --exclude='./var/lib/apt/lists/*_Packages' \
    -c . \
  | docker import \
      --change "ENV PATH=$IMAGE_PATH" \
      --change 'ENV LANG=C.UTF-8' \
      --change 'CMD ["/bin/bash"]' \
      -m "debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates $SUITE $mirror" \
      - "$IMAGE" >/dev/null \
  || die "docker import of the rootfs failed"
imported=$(date +%s)

# After --force the previous image is untagged; drop it unless images built on it still need it.
new_id=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ] \
   && [ -z "$(docker image inspect -f '{{join .RepoTags ","}}' "$old_id" 2>/dev/null)" ]; then
  docker image rm "$old_id" >/dev/null 2>&1 || log "the previous $IMAGE (${old_id#sha256:}) is still used by other images; kept it"
fi

size=$(docker image inspect -f '{{.Size}}' "$IMAGE" 2>/dev/null || echo 0)
log "imported $IMAGE ($((size / 1000000)) MB) in $((imported - bootstrapped)) s"
log "done in $((imported - start)) s (debootstrap $((bootstrapped - start)) s, import $((imported - bootstrapped)) s)"
