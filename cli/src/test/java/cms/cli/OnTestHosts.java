package cms.cli;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Integration tests on {@link TestHosts}: HAProxy and network namespaces required, the {@link HostsCluster} closed
 * after each test.
 */
abstract class OnTestHosts {

    HostsCluster cluster;

    @BeforeAll
    static void haproxy() {
        RealParts.require("haproxy", () -> NodeLifecycleContract.exec("haproxy", "-v").contains("HAProxy version"));
    }

    /** Starts {@code count} test hosts and the control plane with {@code controlEnv}; closed after the test. */
    HostsCluster start(int count, Map<String, String> controlEnv) throws IOException {
        RealParts.require("network namespaces (root and iproute2's ip netns)", TestHosts::namespacesAvailable);
        cluster = HostsCluster.start(count, controlEnv);
        return cluster;
    }

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
