#!/usr/bin/env bash
# Sets up what the CMS tests need on a fresh Debian/Ubuntu machine, then runs the whole suite:
# unit tests (surefire, *Test) and integration tests against real parts (failsafe, *IT).
# Real parts are required here: an integration test that cannot find one fails instead of skipping.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

need() { command -v "$1" >/dev/null 2>&1; }
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
apt_updated=""
apt_install() {
  if ! need apt-get; then
    echo "test.sh: $* missing and no apt-get to install it; install it and run again" >&2
    exit 1
  fi
  if [ -z "$apt_updated" ]; then
    $SUDO apt-get update -qq
    apt_updated=yes
  fi
  echo "test.sh: installing $*"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# 1. Build tools: a JDK 17+ and Maven.
need javac || apt_install openjdk-17-jdk-headless
need mvn || apt_install maven
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
if [ "${java_major%%.*}" -lt 17 ]; then
  echo "test.sh: Java 17 or newer is needed, found $java_major" >&2
  exit 1
fi

# 2. Real parts. Kafka runs in-process (Kafka's own KRaft server from Maven Central), so it needs
#    nothing here. HAProxy (Debian's) is the load balancer the balancer tests drive; the tests start
#    their own HAProxy processes, one per pod.
#    The Docker engine: the nodes of a pod run as containers of the image cms/workload:dev, which
#    deploy/images/build.sh builds locally (from eclipse-temurin:17-jre where a registry can be
#    reached, else from a Debian base made with debootstrap). socat talks to Unix sockets in tests.
#    Chromium: the dashboard's browser tests run it headless through chromedriver.
{ need dockerd && need docker; } || apt_install docker.io
need debootstrap || apt_install debootstrap debian-archive-keyring
need socat || apt_install socat
# iproute2: ip netns and ip link make the many-hosts tests' test hosts; ss shows DevSessionIT what cms dev listens on.
need ip || apt_install iproute2
# iptables: PartitionIT cuts one test host off from Kafka only, with rules inside its namespace (Debian's
# docker.io brings it, an engine installed otherwise may not).
need iptables || apt_install iptables
need haproxy || apt_install haproxy
# promtool (Debian's prometheus package) parses every service's /metrics and deploy/prometheus/'s configurations in
# DevSessionIT and PrometheusConfigIT. The package's own Prometheus server is not wanted: it is stopped and disabled
# where an init system started it.
if ! need promtool; then
  apt_install prometheus
  { command -v systemctl >/dev/null 2>&1 && $SUDO systemctl disable --now prometheus >/dev/null 2>&1; } || true
  { [ -x /etc/init.d/prometheus ] && $SUDO /etc/init.d/prometheus stop >/dev/null 2>&1; } || true
fi
# Chromium and its WebDriver (Debian's) for the dashboard's browser tests (Selenium drives them).
{ [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; } || apt_install chromium chromium-driver
# An engine this script starts is written down in $dockerd_pidfile (pid, the command that started it,
# its log, and sudo if needed), so that the test of an engine restart (DockerNodesIT) may restart exactly
# that process the same way. An engine started by someone else (systemd) has no such file and is left alone.
dockerd_pidfile="${TMPDIR:-/tmp}/cms-dockerd.pid"
if ! docker info >/dev/null 2>&1; then
  # No systemd on these machines: start the engine ourselves, in its own session so that it
  # outlives this script, and wait until it answers.
  dockerd_log="${TMPDIR:-/tmp}/cms-dockerd.log"
  dockerd_command="setsid dockerd"
  echo "test.sh: starting dockerd (log: $dockerd_log)"
  rm -f "$dockerd_pidfile"
  $SUDO $dockerd_command >"$dockerd_log" 2>&1 < /dev/null &
  dockerd_pid=$!
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && break
    kill -0 "$dockerd_pid" 2>/dev/null || break   # it exited: no point in waiting
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    echo "test.sh: the Docker engine did not come up (dockerd exited or gave no answer within 60 s); the end of $dockerd_log:" >&2
    tail -n 20 "$dockerd_log" >&2
    exit 1
  fi
  # dockerd writes its own pid to /var/run/docker.pid; $! is sudo's where sudo started it
  dockerd_pid=$(cat /var/run/docker.pid 2>/dev/null || echo "$dockerd_pid")
  printf 'pid=%s\ncommand=%s\nlog=%s\nsudo=%s\n' "$dockerd_pid" "$dockerd_command" "$dockerd_log" "$SUDO" \
    >"$dockerd_pidfile"
fi
deploy/images/build.sh

# 3. The whole suite.
exec mvn -B -ntp clean verify -Dcms.requireRealParts=true "$@"
