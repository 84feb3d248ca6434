package cms.core.model;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules for the names in the contract, in one place: pod and node names, and job ids. The web
 * checks them at its edge (path and query parameters) and the resource manager where it applies a
 * request, so a bad name is refused with a reason wherever it comes in. Each check returns why a value
 * is refused (the caller names the field), or nothing when it is fine.
 */
public final class Names {

    /** The longest pod or node name. */
    public static final int MAX_NAME = 40;
    /** Pod and node names: a lower-case letter, then letters, digits, '-' or '_', at most 40 characters. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0," + (MAX_NAME - 1) + "}");
    /** Host ids (a daemon's {@code CMS_HOST_ID}, by default its machine's host name): a host name's characters. */
    public static final Pattern HOST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
    /** Job ids: what is safe in a URL path and a Kafka key. */
    public static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    /** The most of a refused value that a reason repeats, so a huge value cannot make a huge answer. */
    private static final int SHOWN = 48;

    private Names() {
    }

    /** Why {@code value} is not a pod or node name; empty when it is one. */
    public static Optional<String> nameProblem(String value) {
        return problem(value, NAME, "a valid name (a lower-case letter, then letters, digits, '-' or '_', at most "
                + MAX_NAME + " characters)");
    }

    /** Why {@code value} is not a host id; empty when it is one. */
    public static Optional<String> hostIdProblem(String value) {
        return problem(value, HOST_ID, "a host id (letters, digits, '.', '_', '-'; at most 253, starting with a "
                + "letter or digit)");
    }

    /** Why {@code value} is not a job id; empty when it is one. */
    public static Optional<String> jobIdProblem(String value) {
        return problem(value, JOB_ID, "an id (letters, digits, '.', '_', ':', '-'; at most 128, starting with a "
                + "letter or digit)");
    }

    /** "is required", or "'VALUE' is not WHAT" when it does not match; empty when it does. */
    private static Optional<String> problem(String value, Pattern rule, String what) {
        if (value == null || value.isBlank()) {
            return Optional.of("is required");
        }
        if (!rule.matcher(value).matches()) {
            return Optional.of("'" + shown(value) + "' is not " + what);
        }
        return Optional.empty();
    }

    public static boolean validJobId(String value) {
        return jobIdProblem(value).isEmpty();
    }

    /** The value as a reason repeats it: at most {@value #SHOWN} characters, control characters escaped. */
    static String shown(String value) {
        String cut = value.length() <= SHOWN ? value : value.substring(0, SHOWN) + "…";
        StringBuilder s = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                s.append(String.format("\\u%04x", c));
            } else {
                s.appendCodePoint(c);
            }
        });
        return s.toString();
    }
}
