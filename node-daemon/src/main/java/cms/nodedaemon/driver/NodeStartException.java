package cms.nodedaemon.driver;

/** A node could not be started; the message is the reason shown with the FAILED node. */
public class NodeStartException extends Exception {
    public NodeStartException(String reason, Throwable cause) {
        super(reason, cause);
    }

    public NodeStartException(String reason) {
        super(reason);
    }
}
