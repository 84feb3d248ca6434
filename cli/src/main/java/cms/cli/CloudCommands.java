package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** The {@code cloud} sub-commands, with the original system's words. */
final class CloudCommands {

    private CloudCommands() {
    }

    private static String pod(String name) {
        return "/api/pods/" + ApiClient.segment(name);
    }

    @Command(name = "init", mixinStandardHelpOptions = true, description = "Create the default pods light, medium and heavy (once).")
    static final class Init implements Callable<Integer> {
        @ParentCommand CloudCommand cloud;

        public Integer call() {
            return cloud.execute(api -> api.post("/api/init", Map.of()), null);
        }
    }

    @Command(name = "pod", mixinStandardHelpOptions = true, description = "Register, remove and list pods.",
            subcommands = {PodRegister.class, PodRm.class, PodLs.class})
    static final class PodCommand {
        @ParentCommand CloudCommand cloud;
    }

    @Command(name = "register", mixinStandardHelpOptions = true, description = "Register a pod running a built-in workload or an image.")
    static final class PodRegister implements Callable<Integer> {
        @ParentCommand PodCommand parent;
        @Parameters(index = "0", paramLabel = "POD") String name;
        @Option(names = "--workload", description = "light, medium or heavy (default light)") String workload;
        @Option(names = "--image", description = "container image instead of a built-in workload") String image;
        @Option(names = "--port", description = "the image's HTTP port") Integer port;
        @Option(names = "--health-path", description = "default /health") String healthPath;
        @Option(names = "--job-path", description = "default /job") String jobPath;
        @Option(names = "--cpu", description = "CPU limit per node in cores (default 0.3)") Double cpu;
        @Option(names = "--memory-mb", description = "memory limit per node (default 100)") Integer memoryMb;
        @Option(names = "--node-limit", description = "most nodes in this pod (default 20)") Integer nodeLimit;
        @Option(names = "--frontend-port", description = "its load-balancer port (default: lowest free from 5000)")
        Integer frontendPort;
        @Option(names = "--restart-policy", paramLabel = "always|never", description = "what happens to a FAILED node "
                + "while elasticity is off: always (default) launches it again after a back-off doubling from 10 s "
                + "to 5 min; never leaves it FAILED") String restartPolicy;

        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            put(body, "workload", workload);
            put(body, "image", image);
            put(body, "port", port);
            put(body, "health_path", healthPath);
            put(body, "job_path", jobPath);
            put(body, "cpu", cpu);
            put(body, "memory_mb", memoryMb);
            put(body, "node_limit", nodeLimit);
            put(body, "frontend_port", frontendPort);
            put(body, "restart_policy", restartPolicy);
            return parent.cloud.execute(api -> api.post("/api/pods", body), null);
        }

        static void put(Map<String, Object> body, String key, Object value) {
            if (value != null) {
                body.put(key, value);
            }
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a pod (refused while it has nodes that are not STOPPED).")
    static final class PodRm implements Callable<Integer> {
        @ParentCommand PodCommand parent;
        @Parameters(index = "0", paramLabel = "POD") String name;
        @Option(names = "--force", description = "stop its nodes and remove it anyway") boolean force;

        public Integer call() {
            return parent.cloud.execute(api -> api.delete(pod(name) + (force ? "?force=true" : "")), null);
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List pods.")
    static final class PodLs implements Callable<Integer> {
        @ParentCommand PodCommand parent;

        public Integer call() {
            return parent.cloud.execute(api -> api.getAll("/api/pods"), Tables::pods);
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true, description = "Register a node (status NEW) in a pod.")
    static final class Register implements Callable<Integer> {
        @ParentCommand CloudCommand cloud;
        @Parameters(index = "0", paramLabel = "NODE") String node;
        @Parameters(index = "1", paramLabel = "POD") String podName;

        public Integer call() {
            return cloud.execute(api -> api.post(pod(podName) + "/nodes", Map.of("name", node)), null);
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a node from a pod (drained and stopped first if running).")
    static final class Rm implements Callable<Integer> {
        @ParentCommand CloudCommand cloud;
        @Parameters(index = "0", paramLabel = "NODE") String node;
        @Parameters(index = "1", paramLabel = "POD") String podName;

        public Integer call() {
            return cloud.execute(api -> api.delete(pod(podName) + "/nodes/" + ApiClient.segment(node)), null);
        }
    }

    @Command(name = "launch", mixinStandardHelpOptions = true, description = "Start the next NEW node of a pod.")
    static final class Launch implements Callable<Integer> {
        @ParentCommand CloudCommand cloud;
        @Parameters(index = "0", paramLabel = "POD") String podName;

        public Integer call() {
            return cloud.execute(api -> api.post(pod(podName) + "/launch", Map.of()), null);
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Take a pod's nodes out of the load balancer; they keep running.")
    static final class Pause implements Callable<Integer> {
        @ParentCommand CloudCommand cloud;
        @Parameters(index = "0", paramLabel = "POD") String podName;

        public Integer call() {
            return cloud.execute(api -> api.post(pod(podName) + "/pause", Map.of()), null);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Put a paused pod's nodes back in the load balancer.")
    static final class Resume implements Callable<Integer> {
        @ParentCommand CloudCommand cloud;
        @Parameters(index = "0", paramLabel = "POD") String podName;

        public Integer call() {
            return cloud.execute(api -> api.post(pod(podName) + "/resume", Map.of()), null);
        }
    }

    @Command(name = "node", mixinStandardHelpOptions = true, description = "List nodes.", subcommands = NodeLs.class)
    static final class NodeCommand {
        @ParentCommand CloudCommand cloud;
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the nodes of one pod, or of all pods.")
    static final class NodeLs implements Callable<Integer> {
        @ParentCommand NodeCommand parent;
        @Parameters(index = "0", paramLabel = "POD", arity = "0..1") String podName;
        @Option(names = {"-w", "--watch"}, description = "then follow the live stream: print each node that changes "
                + "(one gone: its last row, noted removed) until Ctrl-C; with --json, the whole list at each change")
        boolean watch;

        public Integer call() throws InterruptedException {
            if (watch) {
                return new NodeWatch(parent.cloud, podName).run();
            }
            return parent.cloud.execute(api -> api.getAll(podName == null ? "/api/nodes" : pod(podName) + "/nodes"),
                    Tables::nodes);
        }
    }

    @Command(name = "host", mixinStandardHelpOptions = true, description = "List, cordon, uncordon and drain hosts.",
            subcommands = {HostLs.class, HostCordon.class, HostUncordon.class, HostDrain.class, HostJoinToken.class})
    static final class HostCommand {
        @ParentCommand CloudCommand cloud;
    }

    private static String host(String id) {
        return "/api/hosts/" + ApiClient.segment(id);
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the hosts, READY, LEFT or LOST (with "
            + "why), whether each takes new nodes (SCHEDULING: ok, cordoned, draining (N left), drained), and what "
            + "their heartbeats say is in use.")
    static final class HostLs implements Callable<Integer> {
        @ParentCommand HostCommand parent;

        public Integer call() {
            return parent.cloud.execute(HostUsage::hostsWithUsage, Tables::hosts);
        }
    }

    /** {@code cloud host ACTION HOST}: one POST to {@code /api/hosts/HOST/ACTION}, its message printed. */
    abstract static class HostAction implements Callable<Integer> {
        @ParentCommand HostCommand parent;
        @Parameters(index = "0", paramLabel = "HOST") String hostId;
        private final String action;

        HostAction(String action) {
            this.action = action;
        }

        public Integer call() {
            return parent.cloud.execute(api -> api.post(host(hostId) + "/" + action, Map.of()), null);
        }
    }

    @Command(name = "cordon", mixinStandardHelpOptions = true, description = "No new nodes go to HOST; the nodes it "
            + "runs stay (kubectl cordon). Kept across resource manager restarts.")
    static final class HostCordon extends HostAction {
        HostCordon() {
            super("cordon");
        }
    }

    @Command(name = "uncordon", mixinStandardHelpOptions = true, description = "HOST takes new nodes again; a drain "
            + "of it stops (moves already started finish).")
    static final class HostUncordon extends HostAction {
        HostUncordon() {
            super("uncordon");
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true, description = "Cordon HOST and move each of its nodes "
            + "to another host: the replacement starts first, and the old node is drained from the load balancer "
            + "once the replacement is ONLINE. Nodes no host has room for stay and move once room appears; "
            + "cloud host ls shows the progress.")
    static final class HostDrain extends HostAction {
        HostDrain() {
            super("drain");
        }
    }

    @Command(name = "join-token", mixinStandardHelpOptions = true, description = "Print a join token for HOST (admin): "
            + "start its node daemon with CMS_JOIN_TOKEN set to it (or CMS_JOIN_TOKEN_FILE naming a file that holds it); "
            + "until a host has joined so, the resource manager ignores it. Valid at most 15 minutes, used up by the join.")
    static final class HostJoinToken implements Callable<Integer> {
        @ParentCommand HostCommand parent;
        @Parameters(index = "0", paramLabel = "HOST") String hostId;
        @Option(names = "--ttl", description = "how long it is valid: 90s, 10m, at most 15m (default)") String ttl;

        public Integer call() {
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            if (!TokenCommands.putTtl(body, ttl, parent.cloud.err)) {
                return CloudCommand.USAGE;
            }
            return parent.cloud.execute(api -> api.post(host(hostId) + "/join-token", body), (out, data) -> {
                out.println(data.path("token").asText());
                parent.cloud.err.println("join token " + data.path("id").asText() + " for host " + hostId
                        + ", valid until " + data.path("expires_at").asText() + ": shown this once");
            });
        }
    }

    @Command(name = "elasticity", mixinStandardHelpOptions = true, description = "Elasticity of a pod: bounds and thresholds.",
            subcommands = {Enable.class, Disable.class, LowerThreshold.class, UpperThreshold.class, Status.class})
    static final class ElasticityCommand {
        @ParentCommand CloudCommand cloud;
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Let CMS size the pod between MIN and MAX "
            + "nodes (MIN 0 only with --metric queue, rps or latency).")
    static final class Enable implements Callable<Integer> {
        @ParentCommand ElasticityCommand parent;
        @Parameters(index = "0", paramLabel = "POD") String podName;
        @Parameters(index = "1", paramLabel = "MIN") int min;
        @Parameters(index = "2", paramLabel = "MAX") int max;
        @Option(names = "--mode", description = "threshold (default: grow above upper, shrink below lower), "
                + "target (keep the metric near --target) or demand (size from the request rate over what a node "
                + "serves, learned from the pod; metric cpu, --target the CPU set-point, default 0.8)") String mode;
        @Option(names = "--metric", description = "cpu (default: CPU use as a share of each node's limit), rps "
                + "(requests/s per node), latency (p95 response time in ms through the balancer, its mean where "
                + "HAProxy keeps no percentiles; needs --mode target) or queue (jobs queued and running per node; "
                + "with rps, latency and queue MIN may be 0: a request to a pod at 0 nodes waits while one starts)")
        String metric;
        @Option(names = "--target", description = "target mode: the value to keep the metric near (cpu: a share, at "
                + "most 1; rps: requests/s per node; latency: milliseconds; queue: jobs per node)") Double target;
        @Option(names = "--step", description = "threshold mode: proportional (default: straight to the size that "
                + "puts the metric in the middle of the band) or one (node at a time, the original rule)")
        String step;
        @Option(names = "--scale-out-window", paramLabel = "S", description = "this pod's scale-out window: a reason "
                + "to grow must hold S seconds (default: the elasticity service's, 2)") Integer scaleOutWindow;
        @Option(names = "--scale-in-window", paramLabel = "S", description = "this pod's scale-in window: shrink only "
                + "to the largest size wanted over the last S seconds (default: the service's, 30)")
        Integer scaleInWindow;
        @Option(names = "--scale-out-cooldown", paramLabel = "S", description = "seconds between two scale-outs "
                + "(default: the service's, 5)") Integer scaleOutCooldown;
        @Option(names = "--scale-in-cooldown", paramLabel = "S", description = "seconds from any change to a scale-in "
                + "(default: the service's, 15)") Integer scaleInCooldown;

        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>(Map.of("min", min, "max", max));
            PodRegister.put(body, "mode", mode);
            PodRegister.put(body, "metric", metric);
            PodRegister.put(body, "target", target);
            PodRegister.put(body, "step", step);
            PodRegister.put(body, "scale_out_window_seconds", scaleOutWindow);
            PodRegister.put(body, "scale_in_window_seconds", scaleInWindow);
            PodRegister.put(body, "scale_out_cooldown_seconds", scaleOutCooldown);
            PodRegister.put(body, "scale_in_cooldown_seconds", scaleInCooldown);
            return parent.cloud.execute(api -> api.put(pod(podName) + "/elasticity", body), null);
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Stop sizing the pod; its nodes stay as they are.")
    static final class Disable implements Callable<Integer> {
        @ParentCommand ElasticityCommand parent;
        @Parameters(index = "0", paramLabel = "POD") String podName;

        public Integer call() {
            return parent.cloud.execute(api -> api.delete(pod(podName) + "/elasticity"), null);
        }
    }

    @Command(name = "lower_threshold", mixinStandardHelpOptions = true, description = "Below this mean CPU share the pod shrinks (0-1).")
    static final class LowerThreshold implements Callable<Integer> {
        @ParentCommand ElasticityCommand parent;
        @Parameters(index = "0", paramLabel = "POD") String podName;
        @Parameters(index = "1", paramLabel = "V") double value;

        public Integer call() {
            return parent.cloud.execute(api -> api.put(pod(podName) + "/elasticity/lower_threshold",
                    Map.of("value", value)), null);
        }
    }

    @Command(name = "upper_threshold", mixinStandardHelpOptions = true, description = "Above this mean CPU share the pod grows (0-1).")
    static final class UpperThreshold implements Callable<Integer> {
        @ParentCommand ElasticityCommand parent;
        @Parameters(index = "0", paramLabel = "POD") String podName;
        @Parameters(index = "1", paramLabel = "V") double value;

        public Integer call() {
            return parent.cloud.execute(api -> api.put(pod(podName) + "/elasticity/upper_threshold",
                    Map.of("value", value)), null);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show a pod's policy, its metric now, "
            + "its nodes (ONLINE/STARTING/target), those waiting for a restart (when and why) and the last decisions "
            + "with their reasons.")
    static final class Status implements Callable<Integer> {
        @ParentCommand ElasticityCommand parent;
        @Parameters(index = "0", paramLabel = "POD") String podName;

        public Integer call() {
            return parent.cloud.execute(api -> api.get(pod(podName) + "/elasticity"), Status::render);
        }

        static void render(PrintStream out, JsonNode s) {
            JsonNode p = s.path("policy");
            String mode = p.path("mode").asText("threshold");
            String metric = s.path("metric").asText();
            String rule = mode.equals("target") ? "target " + p.path("target").asText("-")
                    : mode.equals("demand") ? "set-point " + p.path("target").asText("0.8") // ElasticityPolicy.DEFAULT_SET_POINT
                    : String.format(Locale.ROOT, "lower %.2f, upper %.2f, step %s", p.path("lower_threshold").asDouble(),
                    p.path("upper_threshold").asDouble(), p.path("step").asText("proportional")); // ElasticityPolicy.stepOrDefault
            out.printf(Locale.ROOT, "pod %s: elasticity %s, %d-%d nodes, %s mode on %s (%s)%n", s.path("pod").asText(),
                    p.path("enabled").asBoolean() ? "on" : "off", p.path("min").asInt(), p.path("max").asInt(), mode,
                    metric, rule);
            out.printf(Locale.ROOT, "%s now: %s; nodes: %d ONLINE, %d STARTING, %d in all, target %s%n", metric,
                    s.hasNonNull("value") ? String.format(Locale.ROOT, "%.2f", s.get("value").asDouble()) : "no samples",
                    s.path("online").asInt(), s.path("starting").asInt(), s.path("nodes").asInt(),
                    s.hasNonNull("target") ? s.get("target").asText() : "-");
            Tables.restarts(out, s.get("restarting"));
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode d : s.path("decisions")) {
                rows.add(List.of(d.path("at").asText(), d.path("from_nodes").asText() + " -> " + d.path("to_nodes").asText(),
                        String.format(Locale.ROOT, "%.2f", d.path("value").asDouble()), d.path("reason").asText()));
            }
            if (rows.isEmpty()) {
                out.println("no decisions yet");
            } else {
                Tables.print(out, List.of("AT", "NODES", "VALUE", "REASON"), rows);
            }
        }
    }
}
