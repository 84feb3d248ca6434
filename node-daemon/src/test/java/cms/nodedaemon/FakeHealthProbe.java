package cms.nodedaemon;

import java.util.ArrayList;
import java.util.List;

/** A health probe that answers what the test says, and remembers what it was asked. */
final class FakeHealthProbe extends HealthProbe {

    private volatile boolean healthy;
    private final List<String> asked = new ArrayList<>();

    void setHealthy(boolean healthy) {
        this.healthy = healthy;
    }

    @Override
    public synchronized boolean healthy(String address, int port, String path) {
        asked.add(address + ":" + port + path);
        return healthy;
    }

    /** Every probe so far, as {@code address:port/path}. */
    synchronized List<String> asked() {
        return List.copyOf(asked);
    }
}
