#!/usr/bin/env bash
# Creates the CMS topics listed in topics.tsv (next to this script) on a Kafka cluster. Idempotent:
# topics that already exist are left as they are.
#
#   deploy/kafka/topics.sh [BOOTSTRAP] [REPLICATION]
#
# BOOTSTRAP   bootstrap servers (argument 1, or env BOOTSTRAP; default localhost:19092)
# REPLICATION replication factor (argument 2, or env REPLICATION; default 3)
# TOPICS_FILE another definitions file (env; default topics.tsv next to this script)
# KAFKA_TOPICS path of kafka-topics.sh (env; default: found on PATH or under /opt/kafka/bin)
# COMMAND_CONFIG a client properties file for a secured cluster (env; e.g. the admin's, see secure/)
#
# The topic-level configs mirror rm-core's cms.core.topic.Topics#configs(), so topics created here
# are the same as the ones a CMS service creates when it finds one missing.
set -euo pipefail

BOOTSTRAP="${1:-${BOOTSTRAP:-localhost:19092}}"
REPLICATION="${2:-${REPLICATION:-3}}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOPICS_FILE="${TOPICS_FILE:-$HERE/topics.tsv}"
secured=()
if [ -n "${COMMAND_CONFIG:-}" ]; then secured=(--command-config "$COMMAND_CONFIG"); fi

find_kafka_topics() {
    if [[ -n "${KAFKA_TOPICS:-}" ]]; then
        echo "$KAFKA_TOPICS"
    elif command -v kafka-topics.sh > /dev/null 2>&1; then
        command -v kafka-topics.sh
    elif [[ -x /opt/kafka/bin/kafka-topics.sh ]]; then
        echo /opt/kafka/bin/kafka-topics.sh
    else
        echo "topics.sh: kafka-topics.sh not found on PATH nor in /opt/kafka/bin (set KAFKA_TOPICS)" >&2
        return 1
    fi
}

KAFKA_TOPICS_SH="$(find_kafka_topics)"

if [[ ! -r "$TOPICS_FILE" ]]; then
    echo "topics.sh: cannot read $TOPICS_FILE" >&2
    exit 1
fi
if ! [[ "$REPLICATION" =~ ^[1-9][0-9]*$ ]]; then
    echo "topics.sh: replication must be a positive whole number, got '$REPLICATION'" >&2
    exit 1
fi

echo "topics.sh: creating CMS topics on $BOOTSTRAP with replication $REPLICATION"
count=0
while IFS=$'\t' read -r name partitions cleanup rest || [[ -n "${name:-}" ]]; do
    [[ -z "${name// /}" || "$name" == \#* ]] && continue
    if ! [[ "$partitions" =~ ^[1-9][0-9]*$ ]]; then
        echo "topics.sh: $TOPICS_FILE: topic $name: partitions must be a positive whole number, got '$partitions'" >&2
        exit 1
    fi
    configs=(--config "cleanup.policy=$cleanup")
    case "$cleanup" in
        compact)
            if [[ "$name" == job-state ]]; then
                # written at the job rate; read at every start (see Topics#configs)
                configs+=(--config min.cleanable.dirty.ratio=0.1 --config segment.ms=600000
                          --config segment.bytes=16777216 --config delete.retention.ms=300000
                          --config max.compaction.lag.ms=3600000)
            else
                configs+=(--config min.cleanable.dirty.ratio=0.1 --config segment.ms=3600000)
            fi
            ;;
        delete)
            configs+=(--config retention.ms=604800000)
            ;;
        *)
            echo "topics.sh: $TOPICS_FILE: topic $name: cleanup_policy must be delete or compact, got '$cleanup'" >&2
            exit 1
            ;;
    esac
    "$KAFKA_TOPICS_SH" --bootstrap-server "$BOOTSTRAP" "${secured[@]}" --create --if-not-exists \
        --topic "$name" --partitions "$partitions" --replication-factor "$REPLICATION" "${configs[@]}"
    count=$((count + 1))
done < "$TOPICS_FILE"

echo "topics.sh: $count topic(s) ensured; topics on the cluster:"
"$KAFKA_TOPICS_SH" --bootstrap-server "$BOOTSTRAP" "${secured[@]}" --list
