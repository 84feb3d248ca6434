package cms.core.codec;

/** A record that is not a valid event of its topic; the message is the reason given to the dead-letter topic. */
public class UndecodableRecordException extends Exception {
    public UndecodableRecordException(String reason, Throwable cause) {
        super(reason, cause);
    }

    public UndecodableRecordException(String reason) {
        super(reason);
    }
}
