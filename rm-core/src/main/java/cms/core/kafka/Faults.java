package cms.core.kafka;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * The one fault policy of every consumer loop. A fault while handling one record is that record's
 * ({@link Kind#RECORD}: it goes to dead-letter with the reason and the loop goes on). A Kafka fault
 * outside one record (broker away, timeouts, a transaction that could not be committed, a producer in an
 * error state) is {@link Kind#TRANSIENT}: the loop closes its clients, backs off and opens new ones, for as
 * long as it takes. What no retry can mend (no permission, bad configuration, another instance with our
 * transactional id or group instance id — retrying would fence it in turn —, the JVM itself failing)
 * is {@link Kind#FATAL}: the process should end with the
 * reason so that its supervisor starts it again.
 */
public final class Faults {

    public enum Kind { RECORD, TRANSIENT, FATAL }

    private Faults() {
    }

    /** A fault thrown while one record was being handled. */
    public static Kind ofRecord(Throwable t) {
        if (t instanceof Error || t instanceof KafkaException && !(t instanceof SerializationException)) {
            return ofLoop(t);
        }
        return Kind.RECORD;
    }

    /** A fault thrown by the loop's own work with Kafka (poll, commit, a transaction). */
    public static Kind ofLoop(Throwable t) {
        if (t instanceof Error) {
            return Kind.FATAL;
        }
        if (t instanceof AuthenticationException || t instanceof AuthorizationException
                || t instanceof InvalidConfigurationException || t instanceof UnsupportedVersionException
                || t instanceof org.apache.kafka.common.config.ConfigException
                || t instanceof ProducerFencedException
                || t instanceof org.apache.kafka.common.errors.FencedInstanceIdException) {
            return Kind.FATAL;
        }
        return Kind.TRANSIENT;
    }

    /** The message of a fault and of its first cause, in one line. */
    public static String describe(Throwable t) {
        String s = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        Throwable cause = t.getCause();
        if (cause != null && cause != t) {
            s += " (" + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                    + ")";
        }
        return s.replaceAll("\\s+", " ");
    }
}
