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
#    nothing here. (The Docker engine, HAProxy and locally built images are added here by the
#    issues that bring the node daemon and the balancer.)

# 3. The whole suite.
exec mvn -B -ntp clean verify -Dcms.requireRealParts=true "$@"
