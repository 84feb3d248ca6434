package cms.rm.model;

import cms.core.model.Pod;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** Each pod's load-balancer frontend port: unique in the cloud, chosen by the user or the lowest free one. */
final class FrontendPorts {

    static final int MIN = 1024;
    static final int MAX = 65535;

    private FrontendPorts() {
    }

    private static Set<Integer> used(CloudState state) {
        return state.pods().values().stream().map(Pod::frontendPort).filter(Objects::nonNull)
                .collect(Collectors.toSet());
    }

    static int free(CloudState state, int base) {
        Set<Integer> used = used(state);
        for (int p = base; p <= MAX; p++) {
            if (!used.contains(p)) {
                return p;
            }
        }
        throw Rejection.conflict("no free frontend port from " + base);
    }

    static int chosen(CloudState state, int port) {
        if (port < MIN || port > MAX) {
            throw Rejection.badField("frontend_port", port + " must be within [" + MIN + ", " + MAX + "]");
        }
        state.pods().values().stream().filter(p -> Objects.equals(p.frontendPort(), port)).findFirst()
                .ifPresent(p -> {
                    throw Rejection.conflict("frontend port " + port + " is used by pod " + p.name());
                });
        return port;
    }
}
