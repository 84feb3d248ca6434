package cms.cli;

import java.util.concurrent.Callable;
import org.junit.jupiter.api.Assumptions;

/**
 * Integration tests need real parts (Docker engine, images, HAProxy, a browser). On a developer's
 * laptop a missing part skips the test; where {@code -Dcms.requireRealParts=true} is set (CI, test.sh)
 * a missing part fails it.
 */
final class RealParts {

    private RealParts() {
    }

    static void require(String what, Callable<Boolean> present) {
        boolean ok;
        try {
            ok = present.call();
        } catch (Exception e) {
            ok = false;
        }
        if (!ok) {
            if (Boolean.getBoolean("cms.requireRealParts")) {
                throw new AssertionError("missing real part: " + what);
            }
            Assumptions.abort("skipped: needs " + what);
        }
    }
}
