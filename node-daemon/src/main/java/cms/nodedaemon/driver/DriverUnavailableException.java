package cms.nodedaemon.driver;

/**
 * The driver cannot reach what runs its nodes (the Docker engine is away): nothing is known about them
 * for now. Not a node's fault; the driver tries again by itself and says when it is back.
 */
public class DriverUnavailableException extends RuntimeException {
    public DriverUnavailableException(String reason) {
        super(reason);
    }
}
