package cms.core.kafka;

/**
 * Kafka does not answer now, so what needs it cannot be done: the caller answers at once (over HTTP,
 * 503 with {@code Retry-After}) instead of waiting. The message is one line with the reason.
 */
public class BrokerUnreachableException extends RuntimeException {

    private final long retryAfterSeconds;

    public BrokerUnreachableException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** When to ask again, in whole seconds. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
