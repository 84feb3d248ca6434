package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.metrics.Exposition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics part of {@link DevSessionIT}: every service {@code cms dev} started serves {@code /metrics} where it
 * printed, in a text Prometheus's own parser takes with no lint problem ({@code promtool check metrics}), with the
 * session's pod, node, job and scaling decision in it, and every metric the Grafana board names.
 */
final class MetricsScrape {

    private static final Pattern PRINTED = Pattern.compile("(rm|node-daemon|balancer|elasticity|web)=(http://\\S+/metrics)");
    private static final Set<String> SERVICES = Set.of("rm", "node-daemon", "balancer", "elasticity", "web");

    private MetricsScrape() {
    }

    /**
     * After the README session (pod light with node n1 ONLINE, served requests, one job that succeeded): enables
     * elasticity on light with MIN 2 (a decision up, on the bounds path), then scrapes and checks every service.
     */
    static void checkEveryService(String printed, String token, Map<String, String> user) throws Exception {
        long t0 = System.nanoTime();
        Promtool.require();
        Map<String, String> urls = new TreeMap<>();
        Matcher m = PRINTED.matcher(printed);
        while (m.find()) {
            urls.put(m.group(1), m.group(2));
        }
        assertEquals(SERVICES, urls.keySet(), "cms dev prints every service's /metrics: " + printed);
        HttpClient http = HttpClient.newHttpClient();
        assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(urls.get("web"))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode(), "the web's /metrics takes a token, as the API");
        DevSessionIT.Run enable = DevSessionIT.cloud(user, "elasticity", "enable", "light", "2", "3");
        assertEquals(0, enable.exit(), enable.err());
        Map<String, String> text = new TreeMap<>();
        String decision = "cms_scaling_decisions_total{direction=\"up\",metric=\"cpu\",pod=\"light\",reason=\"bounds\"}";
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
            for (Map.Entry<String, String> u : urls.entrySet()) {
                text.put(u.getKey(), scrape(http, u.getValue(), u.getKey().equals("web") ? token : null));
            }
            // a consumer's per-partition lag appears once it is assigned and the meters looked again (every 5 s)
            return Exposition.value(text.get("elasticity"), decision).isPresent()
                    && text.values().stream().allMatch(t -> t.contains("kafka_consumer_fetch_manager_records_lag{"))
                    && text.get("web").contains("loop=\"cms-web-live\"") && text.get("rm").contains("loop=\"cms-rm\"");
        });
        Set<String> exported = new TreeSet<>();
        for (Map.Entry<String, String> t : text.entrySet()) {
            Promtool.Result check = Promtool.checkMetrics(t.getValue());
            assertTrue(check.clean(), t.getKey() + ": promtool check metrics: exit " + check.exit() + "\n" + check.output());
            for (String basic : new String[] {"jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads",
                    "process_cpu_seconds_total", "kafka_consumer_fetch_manager_records_lag{"}) {
                assertTrue(t.getValue().contains(basic), t.getKey() + " has " + basic);
            }
            exported.addAll(GrafanaBoard.exported(t.getValue()));
        }
        String rm = text.get("rm");
        assertTrue(at(rm, "cms_nodes{pod=\"light\",state=\"ONLINE\"}") >= 1, rm);
        assertEquals(3.0, at(rm, "cms_pods{state=\"active\"}"), "cloud init's three pods");
        assertEquals(1.0, at(rm, "cms_hosts{state=\"READY\"}"));
        assertEquals(1.0, at(rm, "cms_jobs_ended_total{pod=\"light\",status=\"succeeded\"}"));
        assertEquals(1.0, at(rm, "cms_job_duration_seconds_count{pod=\"light\",status=\"succeeded\"}"));
        assertEquals(0.0, at(rm, "cms_job_queue_depth{pod=\"light\"}"));
        assertTrue(rm.contains("loop=\"cms-rm\""), "the resource manager's consumer lag");
        String node = text.get("node-daemon");
        double cpu = at(node, "cms_node_cpu_usage_ratio{host=\"dev-session\",node=\"n1\",pod=\"light\"}");
        assertTrue(cpu >= 0 && cpu <= 4, node);
        assertTrue(at(node, "cms_node_memory_usage_bytes{host=\"dev-session\",node=\"n1\",pod=\"light\"}") > 1 << 20, node);
        assertTrue(at(node, "cms_host_cpu_cores{host=\"dev-session\"}") > 0, node);
        String balancer = text.get("balancer");
        assertTrue(at(balancer, "cms_pod_requests_per_second{pod=\"light\"}") >= 0, balancer);
        assertTrue(at(balancer, "cms_pod_response_time_seconds{percentile=\"mean\",pod=\"light\"}") >= 0, balancer);
        assertEquals(1.0, at(text.get("elasticity"), decision));
        assertTrue(text.get("web").contains("loop=\"cms-web-live\""), "the web's live view's consumer lag");
        Set<String> unknown = new TreeSet<>(GrafanaBoard.metricNames(GrafanaBoard.read()));
        unknown.removeAll(exported);
        assertEquals(Set.of(), unknown, "metrics the Grafana board names that no service of cms dev exports");
        System.out.printf("DevSessionIT: /metrics of %s scraped, promtool-clean, with the session's pod, node, job "
                + "and decision, in %.1f s%n", urls.keySet(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Every target of a scrape configuration of deploy/prometheus, at the address that stands for its example one
     * ({@code address}), answers with a text promtool takes; the web's with {@code token}. Returns each target's
     * text by {@code job target} (as the configuration writes it).
     */
    static Map<String, String> scrapeTargets(java.nio.file.Path config, java.util.function.UnaryOperator<String> address,
                                             String token) throws Exception {
        Promtool.require();
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> out = new TreeMap<>();
        String job = null;
        Pattern target = Pattern.compile("\\[\"([0-9.]+):(\\d+)\"]");
        for (String line : java.nio.file.Files.readAllLines(config)) {
            String bare = line.strip();
            if (bare.startsWith("- job_name:")) {
                job = bare.substring("- job_name:".length()).strip();
            }
            Matcher t = target.matcher(bare);
            if (bare.startsWith("- targets:") && t.find()) {
                String url = "http://" + address.apply(t.group(1)) + ":" + t.group(2) + "/metrics";
                String text = scrape(http, url, "cms-web".equals(job) ? token : null);
                Promtool.Result check = Promtool.checkMetrics(text);
                assertTrue(check.clean(), job + " " + url + ": promtool check metrics: " + check.output());
                out.put(job + " " + t.group(1) + ":" + t.group(2), text);
            }
        }
        return out;
    }

    private static String scrape(HttpClient http, String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (token != null) {
            get.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(get.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"), url);
        return r.body();
    }

    /** The value of the sample {@code series} (name and labels as written), which must be there. */
    static double at(String exposition, String series) {
        return Exposition.value(exposition, series)
                .orElseThrow(() -> new AssertionError("no " + series + " in\n" + exposition));
    }
}
