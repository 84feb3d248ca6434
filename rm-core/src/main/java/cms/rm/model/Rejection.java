package cms.rm.model;

/**
 * A request the resource manager refuses, with the HTTP status it maps to, the field at fault (for a
 * 400) and a one-line reason. Nothing has changed when it is thrown.
 */
public final class Rejection extends RuntimeException {

    private final int status;
    private final String field;

    private Rejection(int status, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    public static Rejection badField(String field, String message) {
        return new Rejection(400, field, field + ": " + message);
    }

    public static Rejection notFound(String message) {
        return new Rejection(404, null, message);
    }

    /** A request this cloud's settings do not allow (e.g. an image outside {@code CMS_IMAGE_ALLOW}). */
    public static Rejection forbidden(String message) {
        return new Rejection(403, null, message);
    }

    public static Rejection conflict(String message) {
        return new Rejection(409, null, message);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
