package cms.core;

import static org.junit.jupiter.api.Assertions.fail;

import cms.core.event.NodeCommand;
import cms.core.event.PodsRecord;
import java.util.Set;
import org.junit.jupiter.api.function.Executable;

/**
 * Bugs in main code that a test has found and that are not fixed yet. The correct assertion is written
 * in full and wrapped in {@link #expectFailure}: the test passes while the bug is there and fails as soon
 * as the bug is fixed, saying to unwrap the assertion. Delete an entry when its bug is fixed.
 */
public final class KnownBug {

    /**
     * {@code Workload.isBuiltin()} is taken by Jackson as the getter of property {@code builtin}, so a
     * workload is written as {@code "builtin":true|false} instead of its word ({@code "light"}) and reads
     * back as {@code builtin="true"} or {@code "false"}: every event that carries a workload is changed.
     */
    public static final String WORKLOAD_IS_BUILTIN = "Workload.isBuiltin() overrides the builtin property in JSON";

    /** Event types whose JSON round trip is broken by {@link #WORKLOAD_IS_BUILTIN}. */
    public static final Set<Class<?>> CARRY_WORKLOAD = Set.of(NodeCommand.LaunchNode.class,
            PodsRecord.PodSnapshot.class);

    /** {@code EventCodec.decode} of the JSON literal {@code null} throws NullPointerException, not a reason. */
    public static final String NULL_LITERAL_NPE = "EventCodec.decode(\"null\") throws NullPointerException";

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

    /** Runs the assertion plainly, or as {@link #expectFailure} when the type is hit by the workload bug. */
    public static void checkEvent(Class<?> type, Executable correctAssertion) throws Throwable {
        if (CARRY_WORKLOAD.contains(type)) {
            expectFailure(WORKLOAD_IS_BUILTIN + " (" + type.getSimpleName() + ")", correctAssertion);
        } else {
            correctAssertion.execute();
        }
    }
}
