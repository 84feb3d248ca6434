package cms.rm.model;

import cms.core.model.Refusal;

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

    /** The refusal in the API's words ({@link Refusal}: one place for each fault's wording). */
    public static Rejection of(Refusal refusal) {
        return new Rejection(refusal.status(), refusal.field(), refusal.message());
    }

    public static Rejection badField(String field, String problem) {
        return of(Refusal.badField(field, problem));
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
