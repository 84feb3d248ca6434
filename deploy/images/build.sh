#!/usr/bin/env bash
# Builds the demo workload image cms/workload:dev (deploy/images/workload/Dockerfile) that CMS runs as
# the nodes of a pod. Safe to re-run: the jar is only rebuilt when its sources changed, the base image
# is only made once, and Docker's layer cache makes an unchanged rebuild take a second or two.
#
#   1. Builds the node-daemon jar (it holds cms.nodedaemon.workload.DemoWorkload) if it is missing or
#      older than its sources: mvn -q -B -pl node-daemon -am package -DskipTests (extra Maven options,
#      e.g. -o, can be given in CMS_MVN_OPTS).
#   2. Chooses the base image: $CMS_BASE_IMAGE if set; else eclipse-temurin:17-jre if it is present
#      locally or can be pulled within ~20 s; else the local cms/debian-jre17:bookworm, made by
#      base/build-base.sh (debootstrap, 1-3 minutes, only the first time).
#   3. docker build (legacy builder) from a temp context with the Dockerfile and the jar.
#
# Usage: deploy/images/build.sh
set -euo pipefail

IMAGE="cms/workload:dev"
TEMURIN="eclipse-temurin:17-jre"
LOCAL_BASE="cms/debian-jre17:bookworm"
PULL_TIMEOUT="${CMS_PULL_TIMEOUT:-20}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
log() { echo "images: $*"; }
die() { echo "images: ERROR: $*" >&2; exit 1; }

case "${1:-}" in
  "") ;;
  -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown argument '$1' (usage: $0)" ;;
esac

start=$(date +%s)
command -v docker >/dev/null 2>&1 || die "the docker CLI is not installed (apt-get install -y docker.io)"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer ('docker info' failed); start dockerd first"
[ -f "$here/workload/Dockerfile" ] || die "missing $here/workload/Dockerfile"

# One image build at a time on this machine; a second caller waits for the first.
if command -v flock >/dev/null 2>&1; then
  exec 8>"${TMPDIR:-/tmp}/cms-build-images.lock"
  flock -n 8 || { log "another image build is running; waiting for it"; flock 8; }
fi

# 1. The node-daemon jar.
WORKLOAD_CLASS="cms/nodedaemon/workload/DemoWorkload.class"
find_jar() {
  ls -t "$root"/node-daemon/target/node-daemon-*.jar 2>/dev/null \
    | grep -v -e '-sources\.jar$' -e '-javadoc\.jar$' -e '-tests\.jar$' | head -n 1 || true
}
jar="$(find_jar)"
why=""
if [ -z "$jar" ]; then
  why="there is no node-daemon jar yet"
elif ! grep -qa "$WORKLOAD_CLASS" "$jar"; then   # entry names are stored uncompressed in a jar
  why="$(basename "$jar") has no $WORKLOAD_CLASS"
elif [ -n "$(find "$root/node-daemon/src/main" "$root/node-daemon/pom.xml" "$root/pom.xml" \
               -newer "$jar" -print -quit 2>/dev/null)" ]; then
  why="$(basename "$jar") is older than its sources"
fi
if [ -n "$why" ]; then
  command -v mvn >/dev/null 2>&1 || die "$why, and Maven (mvn) is not installed to build it"
  log "$why; building it: mvn -q -B ${CMS_MVN_OPTS:-}${CMS_MVN_OPTS:+ }-pl node-daemon -am package -DskipTests"
  # shellcheck disable=SC2086  # CMS_MVN_OPTS is a list of options
  (cd "$root" && mvn -q -B ${CMS_MVN_OPTS:-} -pl node-daemon -am package -DskipTests) \
    || die "building the node-daemon jar failed (see Maven's output above)"
  jar="$(find_jar)"
  [ -n "$jar" ] || die "Maven finished but no node-daemon/target/node-daemon-*.jar was made"
  grep -qa "$WORKLOAD_CLASS" "$jar" || die "$jar has no $WORKLOAD_CLASS"
  # The jar plugin leaves an unchanged jar alone; mark it as checked so the next run does not rebuild.
  touch "$jar"
else
  log "using $(realpath --relative-to="$root" "$jar" 2>/dev/null || echo "$jar") (up to date)"
fi

# 2. The base image.
have_image() { docker image inspect "$1" >/dev/null 2>&1; }
if [ -n "${CMS_BASE_IMAGE:-}" ]; then
  base="$CMS_BASE_IMAGE"
  why_base="CMS_BASE_IMAGE"
  have_image "$base" || log "$base is not present locally; docker build will try to pull it"
elif have_image "$TEMURIN"; then
  base="$TEMURIN"
  why_base="present locally"
else
  log "trying to pull $TEMURIN (up to ${PULL_TIMEOUT} s)"
  pull_log="$(mktemp "${TMPDIR:-/tmp}/cms-pull.XXXXXX")"
  if timeout "$PULL_TIMEOUT" docker pull -q "$TEMURIN" >"$pull_log" 2>&1 && have_image "$TEMURIN"; then
    base="$TEMURIN"
    why_base="pulled"
  else
    log "cannot pull $TEMURIN ($(tail -n 1 "$pull_log" | cut -c1-160)); using the local Debian base $LOCAL_BASE"
    base="$LOCAL_BASE"
    why_base="built locally with debootstrap"
    if have_image "$LOCAL_BASE"; then
      why_base="local Debian base, already built"
    else
      "$here/base/build-base.sh" || die "building the base image $LOCAL_BASE failed"
    fi
  fi
  rm -f "$pull_log"
fi

# 3. The image, from a temp context that holds only what the Dockerfile needs.
ctx="$(mktemp -d "${TMPDIR:-/tmp}/cms-workload-ctx.XXXXXX")"
trap 'rm -rf "$ctx"' EXIT
cp "$here/workload/Dockerfile" "$ctx/Dockerfile"
[ -f "$here/workload/.dockerignore" ] && cp "$here/workload/.dockerignore" "$ctx/.dockerignore"
cp "$jar" "$ctx/workload.jar"
chmod 0644 "$ctx/workload.jar" "$ctx/Dockerfile"

old_id="$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
build_start=$(date +%s)
log "building $IMAGE FROM $base"
DOCKER_BUILDKIT=0 docker build \
    --build-arg "BASE_IMAGE=$base" \
    --label "cms.base-image=$base" \
    -t "$IMAGE" "$ctx" \
  || die "docker build of $IMAGE failed (base image $base)"
end=$(date +%s)

new_id="$(docker image inspect -f '{{.Id}}' "$IMAGE")"
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
  # The previous cms/workload:dev is now untagged; drop it unless a container still uses it.
  if [ -z "$(docker image inspect -f '{{join .RepoTags ","}}' "$old_id" 2>/dev/null)" ]; then
    docker image rm "$old_id" >/dev/null 2>&1 || true
  fi
fi

size="$(docker image inspect -f '{{.Size}}' "$IMAGE")"
log "built $IMAGE (${new_id#sha256:}) $((size / 1000000)) MB, base $base ($why_base);" \
    "docker build $((end - build_start)) s, total $((end - start)) s"
