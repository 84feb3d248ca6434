package cms.web;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The calls of each route family of {@link ApiScenario}: every route answering, and refusing with the faults its
 * callers meet (an unknown pod, node, host, job or token, a bad or unknown field, a bad page cursor). One call a
 * line, {@code METHOD PATH [BODY]}; {@code STREAM PATH} reads a stream's replay. In a path, {@code {next}} is the
 * previous answer's {@code next}, {@code {token}} its token's id and {@code {event}} the id of its first event.
 */
final class ApiScenarioCalls {

    static final String[] PODS = {
        "POST /api/init",
        "POST /api/init",
        "GET /api/pods?limit=2",
        "GET /api/pods?limit=2&after=light",
        "POST /api/pods {\"name\":\"web\",\"image\":\"nginx:1\",\"port\":80,\"health_path\":\"/\",\"cpu\":0.5,"
                + "\"memory_mb\":64,\"node_limit\":4,\"frontend_port\":6000,\"restart_policy\":\"never\"}",
        "POST /api/pods {\"name\":\"api\",\"workload\":\"light\",\"memoryMb\":64}",
        "POST /api/pods {\"name\":\"x1\",\"memory_mb\":\"lots\"}",
        "POST /api/pods {\"name\":\"x1\",\"colour\":\"red\"}",
        "GET /api/pods/web",
        "GET /api/pods/nope",
        "POST /api/pods/web/pause",
        "POST /api/pods/web/resume",
        "POST /api/pods/nope/pause",
        "DELETE /api/pods/web",
        "DELETE /api/pods/web?force=maybe",
        "DELETE /api/pods/nope"};

    static final String[] NODES = {
        "POST /api/init",
        "POST /api/pods/light/nodes {\"name\":\"light-a\"}",
        "POST /api/pods/light/nodes {\"name\":\"light-a\"}",
        "POST /api/pods/light/launch",
        "POST /api/pods/light/nodes {\"name\":\"light-b\"}",
        "POST /api/pods/nope/launch",
        "GET /api/pods/light/nodes?limit=1",
        "GET /api/pods/light/nodes?limit=1&after=light-a",
        "GET /api/pods/nope/nodes",
        "GET /api/nodes?limit=1",
        "GET /api/nodes?pod=light&limit=1&after=light-a",
        "GET /api/nodes?limit=0",
        "DELETE /api/pods/light/nodes/light-a",
        "DELETE /api/pods/light/nodes/ghost"};

    static final String[] ELASTICITY = {
        "POST /api/init",
        "PUT /api/pods/medium/elasticity {\"min\":1,\"max\":3,\"mode\":\"target\",\"metric\":\"cpu\",\"target\":0.5,"
                + "\"scale_out_window_seconds\":30,\"scale_in_cooldown_seconds\":120}",
        "PUT /api/pods/medium/elasticity {\"min\":\"one\",\"max\":3}",
        "PUT /api/pods/nope/elasticity {\"min\":1,\"max\":3}",
        "PUT /api/pods/medium/elasticity/lower_threshold {\"value\":0.1}",
        "PUT /api/pods/medium/elasticity/upper_threshold {\"value\":0.9}",
        "PUT /api/pods/medium/elasticity/upper_threshold {\"value\":2}",
        "DELETE /api/pods/medium/elasticity",
        "GET /api/pods/light/elasticity",
        "GET /api/pods/nope/elasticity"};

    static final String[] HOSTS = {
        "POST /api/init",
        "GET /api/hosts",
        "GET /api/hosts?limit=1",
        "GET /api/hosts?limit=1&after=h1",
        "GET /api/hosts?after=-h",
        "POST /api/hosts/h1/cordon",
        "POST /api/hosts/h1/uncordon",
        "POST /api/hosts/h2/drain",
        "POST /api/hosts/h9/cordon",
        "POST /api/hosts/h3/join-token {\"ttl_seconds\":60}",
        "POST /api/hosts/h3/join-token {\"ttl\":60}"};

    /** After {@code POST /api/init} and a job the resource manager has queued, {@code j-live}. */
    static final String[] JOBS = {
        "POST /api/jobs {\"pod\":\"light\",\"job_id\":\"j1\",\"payload\":{\"n\":1},\"timeout_seconds\":30}",
        "POST /api/jobs {\"pod\":\"light\",\"jobId\":\"j2\",\"timeoutSeconds\":5}",
        "POST /api/jobs {\"pod\":\"nope\"}",
        "POST /api/jobs {\"pod\":\"light\",\"timeout_seconds\":0}",
        "GET /api/jobs/j-done",
        "GET /api/jobs/j-failed?wait=0",
        "GET /api/jobs/nobody",
        "GET /api/jobs?limit=2",
        "GET /api/jobs?pod=light&status=failed",
        "GET /api/jobs?after=nobody",
        "GET /api/jobs?pod=light&limit=3&after=j-done",
        "POST /api/jobs/j-live/abort {\"reason\":\"not needed\"}",
        "POST /api/jobs/j-live/abort",
        "POST /api/jobs/nobody/abort"};

    static final String[] TOKENS = {
        "GET /api/whoami",
        "GET /api/tokens?limit=2",
        "GET /api/tokens?after={next}",
        "GET /api/tokens?after=0",
        "POST /api/tokens {\"name\":\"ci\",\"role\":\"viewer\",\"ttl_seconds\":3600}",
        "DELETE /api/tokens/{token}",
        "POST /api/tokens {\"name\":\"ci\",\"role\":\"king\"}",
        "DELETE /api/tokens/0a1b2c3d4e5f"};

    static final String[] LIVE = {
        "GET /api/health",
        "GET /api/live",
        "GET /api/live/pods/light",
        "GET /api/live/pods/nope",
        "GET /api/live/events",
        "GET /api/live/events?limit=2&after={event}",
        "GET /api/live/events?after={next}",
        "GET /api/live/events?kind=jobs&limit=1",
        "GET /api/live/events?after=zzz",
        "GET /api/live/events?kind=weather"};

    static final String[] STREAM = {
        "STREAM /api/stream?since=0",
        "STREAM /api/stream?since=0&pod=light&kind=jobs",
        "GET /api/stream"};

    /** {@code /pods/medium}: a pod the resource manager has made and the live view has not read yet. */
    static final String[] PAGES = {
        "POST /api/init",
        "GET /",
        "GET /pods/medium",
        "GET /events",
        "GET /pods/light",
        "GET /pods/nope",
        "GET /pods/light/nodes",
        "GET /login",
        "GET /metrics",
        "GET /openapi.json",
        "GET /api/nope",
        "PATCH /api/pods {}"};

    private ApiScenarioCalls() {
    }

    /** Makes each call in turn, the placeholders of its path filled from the answer before it. */
    static void run(ApiScenario s, String... calls) throws Exception {
        ApiScenario.Exchange last = null;
        for (String call : calls) {
            String[] part = call.split(" ", 3);
            String path = part[1];
            if (last != null && last.body() != null) {
                path = path.replace("{next}", last.body().path("next").asText())
                        .replace("{token}", last.body().path("data").path("id").asText())
                        .replace("{event}", firstEvent(last.body()));
            }
            last = part[0].equals("STREAM") ? s.stream(path)
                    : s.call(part[0], path, part.length > 2 ? part[2] : null, part[1]);
        }
    }

    /** The stream id of the first event of a {@code /api/live/events} answer (BOOT.SEQ.TS, as the cursor's). */
    private static String firstEvent(JsonNode answer) {
        String boot = answer.path("data").path("cursor").asText().split("\\.")[0];
        JsonNode e = answer.path("data").path("events").path(0);
        return boot + "." + e.path("seq").asLong() + "." + e.path("ts").asLong();
    }
}
