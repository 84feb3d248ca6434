package cms.core.event;

import java.util.UUID;

/** New event ids. */
public final class Ids {
    private Ids() {
    }

    public static String next() {
        return UUID.randomUUID().toString();
    }
}
