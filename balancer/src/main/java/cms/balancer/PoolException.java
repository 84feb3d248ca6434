package cms.balancer;

/** A pod's pool cannot run (its port is taken, the balancer cannot start); the message says why. */
public class PoolException extends Exception {
    public PoolException(String message) {
        super(message);
    }

    public PoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
