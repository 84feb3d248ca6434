package cms.core;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.function.Executable;

/**
 * Bugs in main code that a test has found and that are not fixed yet. The correct assertion is written
 * in full and wrapped in {@link #expectFailure}: the test passes while the bug is there and fails as soon
 * as the bug is fixed, saying to unwrap the assertion. Delete an entry when its bug is fixed.
 */
public final class KnownBug {

    /** {@code EventCodec.decode} of the JSON literal {@code null} throws NullPointerException, not a reason. */
    public static final String NULL_LITERAL_NPE = "EventCodec.decode(\"null\") throws NullPointerException";

    /**
     * {@code Settings.millis} casts the bounds and the default to int milliseconds, so a maximum past about
     * 24.8 days overflows to a negative bound and every value is refused (a long default turns negative).
     */
    public static final String MILLIS_INT_OVERFLOW = "Settings.millis overflows int for bounds past 24.8 days";

    private KnownBug() {
    }

    /** Runs an assertion that a known bug makes fail; fails if it passes, because then the bug is fixed. */
    public static void expectFailure(String bug, Executable correctAssertion) {
        try {
            correctAssertion.execute();
        } catch (AssertionError | Exception expected) {
            return;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        fail("known bug seems fixed: " + bug + ". Remove KnownBug.expectFailure around this assertion.");
    }
}
