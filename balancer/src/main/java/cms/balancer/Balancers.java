package cms.balancer;

import cms.balancer.haproxy.HaproxyBalancerBackend;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the balancer backend by name: HAProxy when asked for or found, the embedded proxy otherwise. */
public final class Balancers {

    private static final Logger LOG = LoggerFactory.getLogger(Balancers.class);

    private Balancers() {
    }

    /** The backend to use, or empty with the reason logged when none can run here. */
    public static Optional<BalancerBackend> choose(BalancerConfig config) {
        boolean haproxy = haproxyRuns(config.haproxyBinary());
        if (config.kind().equals("haproxy") && !haproxy) {
            throw new IllegalStateException("CMS_BALANCER=haproxy but '" + config.haproxyBinary() + "' does not run");
        }
        if (haproxy && !config.kind().equals("embedded")) {
            return Optional.of(new HaproxyBalancerBackend(config.haproxyBinary(), config.dir().resolve("haproxy")));
        }
        LOG.warn("no load balancer: '{}' was not found and the embedded proxy is not part of this build yet",
                config.haproxyBinary());
        return Optional.empty();
    }

    static boolean haproxyRuns(String binary) {
        try {
            Process p = new ProcessBuilder(binary, "-v").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor() == 0 && out.contains("HAProxy version");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
