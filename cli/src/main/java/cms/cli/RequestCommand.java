package cms.cli;

import cms.core.config.NetAddress;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cloud request POD}: the original end-user client. One request through the pod's load-balancer
 * frontend, printing which node served it and how long it took; with {@code -n}/{@code -c}, a bounded
 * load with latency percentiles, errors and how the requests spread over the nodes.
 */
@Command(name = "request", mixinStandardHelpOptions = true, description = "Send requests to a pod through its load balancer.")
final class RequestCommand implements Callable<Integer> {

    static final int MAX_REQUESTS = 1_000_000;
    static final int MAX_CONCURRENCY = 256;

    @ParentCommand CloudCommand cloud;
    @Parameters(index = "0", paramLabel = "POD") String podName;
    @Option(names = "-n", description = "how many requests (default 1, at most 1000000)") int count = 1;
    @Option(names = "-c", description = "how many at a time (default 1, at most 256)") int concurrency = 1;
    @Option(names = "--path", description = "request path (default /)") String path = "/";
    @Option(names = "--host", description = "the balancer's machine, where the frontends listen (default: the API's "
            + "host)") String host;

    @Override
    public Integer call() throws Exception {
        if (count < 1 || count > MAX_REQUESTS) {
            cloud.err.println("cloud: -n must be within [1, " + MAX_REQUESTS + "], got " + count);
            return CloudCommand.USAGE;
        }
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            cloud.err.println("cloud: -c must be within [1, " + MAX_CONCURRENCY + "], got " + concurrency);
            return CloudCommand.USAGE;
        }
        ApiClient.Response pod;
        try {
            pod = cloud.api().get("/api/pods/" + ApiClient.segment(podName));
        } catch (ApiClient.UnreachableException e) {
            cloud.err.println("cloud: " + e.getMessage());
            return CloudCommand.UNAVAILABLE;
        }
        if (!pod.ok()) {
            cloud.err.println("cloud: " + pod.message());
            return pod.status() >= 500 ? CloudCommand.UNAVAILABLE : CloudCommand.REFUSED;
        }
        JsonNode port = pod.data().get("frontend_port");
        if (port == null || port.isNull()) {
            cloud.err.println("cloud: pod " + podName + " has no load-balancer frontend");
            return CloudCommand.REFUSED;
        }
        String balancer = host != null ? host : URI.create(cloud.api().baseUrl()).getHost();
        URI target = URI.create("http://" + NetAddress.forUrl(balancer) + ":" + port.asInt() + path);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return count == 1 ? single(http, target) : load(target);
    }

    private int single(HttpClient http, URI target) {
        HttpLoad.Result r = HttpLoad.send(http, target);
        if (r.status() == 200) {
            cloud.out.printf(Locale.ROOT, "served by %s in %.1f ms%n", r.node(), r.millis());
            return 0;
        }
        cloud.err.println("cloud: " + target + " answered " + (r.status() < 0 ? "nothing" : "HTTP " + r.status())
                + ": " + r.body().strip());
        return r.status() == 503 ? CloudCommand.REFUSED : CloudCommand.UNAVAILABLE;
    }

    private int load(URI target) throws Exception {
        HttpLoad.Summary s = HttpLoad.run(List.of(target), count, concurrency);
        cloud.out.printf(Locale.ROOT, "%d requests, %d at a time, in %.2f s: %.0f req/s, %d failed%n", count,
                concurrency, s.seconds(), s.perSecond(), s.failed());
        cloud.out.printf(Locale.ROOT, "latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                s.percentile(50), s.percentile(90), s.percentile(99), s.max());
        cloud.out.println("served by: " + s.servedBy());
        if (s.failed() > 0) {
            cloud.out.println("errors: " + s.errors());
        }
        return s.failed() == 0 ? 0 : CloudCommand.REFUSED;
    }
}
