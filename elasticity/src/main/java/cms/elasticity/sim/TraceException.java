package cms.elasticity.sim;

/** A trace file that cannot be used; the message is one line naming the file and, for a bad row, its line. */
public final class TraceException extends Exception {

    public TraceException(String message) {
        super(message);
    }
}
