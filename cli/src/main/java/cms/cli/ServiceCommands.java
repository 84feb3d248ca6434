package cms.cli;

import cms.core.config.Settings;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** One CMS service per process, configured from {@code CMS_*} environment variables. */
final class ServiceCommands {

    private ServiceCommands() {
    }

    /** Starts one service, then runs until the process is stopped. */
    abstract static class ServiceCommand implements Callable<Integer> {
        Map<String, String> env = System.getenv();
        PrintStream out = System.out;

        abstract void start(Services services, Settings settings) throws Exception;

        @Override
        public Integer call() throws Exception {
            Services services = Services.exitingOnFatal(System.err);
            Runtime.getRuntime().addShutdownHook(new Thread(services::close, "cms-shutdown"));
            Settings settings = new Settings(env);
            Services.logSettings(settings);
            start(services, settings);
            services.metricsUrls().values().forEach(url -> out.println("metrics: " + url));
            new CountDownLatch(1).await();
            return 0;
        }
    }

    @Command(name = "resource-manager", aliases = "rm", mixinStandardHelpOptions = true,
            description = "Run the resource manager (needs CMS_KAFKA).")
    static final class ResourceManager extends ServiceCommand {
        void start(Services services, Settings settings) throws Exception {
            services.resourceManager(settings);
            out.println("resource manager: ready");
        }
    }

    @Command(name = "web", mixinStandardHelpOptions = true, description = "Run the web API (needs CMS_KAFKA).")
    static final class Web extends ServiceCommand {
        void start(Services services, Settings settings) {
            out.println("CMS API: " + services.web(settings).url() + "/api");
        }
    }

    @Command(name = "balancer", mixinStandardHelpOptions = true,
            description = "Run the load balancer service (needs CMS_KAFKA; HAProxy, or the embedded proxy).")
    static final class Balancer extends ServiceCommand {
        void start(Services services, Settings settings) throws Exception {
            out.println("balancer: " + services.balancer(settings).backendName() + " ready");
        }
    }

    @Command(name = "elasticity", mixinStandardHelpOptions = true,
            description = "Run the elasticity service (needs CMS_KAFKA).")
    static final class Elasticity extends ServiceCommand {
        void start(Services services, Settings settings) {
            services.elasticity(settings);
            out.println("elasticity: ready");
        }
    }

    @Command(name = "node-daemon", mixinStandardHelpOptions = true,
            description = "Run this host's node daemon (needs CMS_KAFKA).")
    static final class NodeDaemon extends ServiceCommand {
        void start(Services services, Settings settings) {
            var daemon = services.nodeDaemon(settings);
            out.println("node daemon: host " + daemon.host().hostId() + " joined; nodes run by the "
                    + daemon.driverDescription() + " driver");
        }
    }
}
