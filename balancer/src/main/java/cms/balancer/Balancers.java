package cms.balancer;

import cms.balancer.embedded.EmbeddedBalancerBackend;
import cms.balancer.haproxy.HaproxyBalancerBackend;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the balancer backend by name: HAProxy when asked for or found, the embedded proxy otherwise. */
public final class Balancers {

    private static final Logger LOG = LoggerFactory.getLogger(Balancers.class);

    private Balancers() {
    }

    /** The backend to use: {@code CMS_BALANCER} decides, and {@code auto} takes HAProxy when it runs here. */
    public static BalancerBackend choose(BalancerConfig config) {
        boolean haproxy = haproxyRuns(config.haproxyBinary());
        if (config.kind().equals("haproxy") && !haproxy) {
            throw new IllegalStateException("CMS_BALANCER=haproxy but '" + config.haproxyBinary() + "' does not run");
        }
        if (haproxy && !config.kind().equals("embedded")) {
            return new HaproxyBalancerBackend(config.haproxyBinary(), config.dir().resolve("haproxy"),
                    config.serverTimeout());
        }
        if (!haproxy) {
            LOG.info("'{}' was not found: the embedded balancer serves the pods' frontends", config.haproxyBinary());
        }
        return new EmbeddedBalancerBackend(config.serverTimeout());
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
