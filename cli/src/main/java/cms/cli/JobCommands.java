package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cloud job submit|status|ls|wait|abort}. {@code wait} (and {@code submit --wait}) exit 0 when the
 * job SUCCEEDED, 1 when it FAILED or was ABORTED, 4 when it had not ended in time.
 */
final class JobCommands {

    static final int NOT_ENDED = 4;

    private JobCommands() {
    }

    private static String job(String id) {
        return "/api/jobs/" + ApiClient.segment(id);
    }

    @Command(name = "job", mixinStandardHelpOptions = true, description = "Submit, follow and abort jobs.",
            subcommands = {Submit.class, Status.class, Ls.class, Wait.class, Abort.class})
    static final class JobCommand {
        @ParentCommand CloudCommand cloud;
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Submit a job to a pod; prints its id. The payload is sent to the workload's job path.")
    static final class Submit implements Callable<Integer> {
        @ParentCommand JobCommand parent;
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "POD") String pod;
        @Option(names = "--payload", paramLabel = "JSON", description = "the job's payload (JSON); @FILE reads it "
                + "from a file") String payload;
        @Option(names = "--id", paramLabel = "ID", description = "your id for the job: submitting again with it "
                + "does not run it twice") String id;
        @Option(names = "--timeout-seconds", paramLabel = "S", description = "time limit of each attempt (1-3600)")
        Integer timeoutSeconds;
        @Option(names = "--wait", paramLabel = "S", arity = "0..1", fallbackValue = "60",
                description = "wait up to S seconds (default 60) for the job to end; exit 0 SUCCEEDED, 1 FAILED or "
                        + "ABORTED, 4 not ended") Integer wait;

        public Integer call() {
            if (wait != null && wait < 0) {
                parent.cloud.err.println("cloud: --wait must be 0 or more seconds");
                return CloudCommand.USAGE;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("pod", pod);
            if (payload != null) {
                body.put("payload", parsePayload());
            }
            CloudCommands.PodRegister.put(body, "job_id", id);
            CloudCommands.PodRegister.put(body, "timeout_seconds", timeoutSeconds);
            CloudCommand cloud = parent.cloud;
            String[] submitted = new String[1];
            int code = cloud.execute(api -> api.post("/api/jobs", body), (out, data) -> {
                submitted[0] = data.path("job_id").asText();
                out.println(submitted[0]);
            });
            if (code != 0 || wait == null) {
                return code;
            }
            return new JobWait(cloud, submitted[0]).await(wait);
        }

        private JsonNode parsePayload() {
            String text = payload;
            try {
                if (text.startsWith("@")) {
                    text = Files.readString(Path.of(text.substring(1)));
                }
                return JsonTrees.parse(text);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "--payload: not JSON (or an unreadable @FILE): "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show one job.")
    static final class Status implements Callable<Integer> {
        @ParentCommand JobCommand parent;
        @Parameters(index = "0", paramLabel = "ID") String id;

        public Integer call() {
            return parent.cloud.execute(api -> api.get(job(id)), JobCommands::show);
        }
    }

    @Command(name = "wait", mixinStandardHelpOptions = true,
            description = "Wait for a job to end (following the live stream of its pod's jobs); exit 0 SUCCEEDED, "
                    + "1 FAILED or ABORTED, 4 not ended in time.")
    static final class Wait implements Callable<Integer> {
        @ParentCommand JobCommand parent;
        @Parameters(index = "0", paramLabel = "ID") String id;
        @Option(names = "--timeout", paramLabel = "S", description = "seconds to wait (default 60)")
        int timeout = 60;

        public Integer call() {
            if (timeout < 0) {
                parent.cloud.err.println("cloud: --timeout must be 0 or more seconds");
                return CloudCommand.USAGE;
            }
            return new JobWait(parent.cloud, id).await(timeout);
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List jobs, newest first.")
    static final class Ls implements Callable<Integer> {
        @ParentCommand JobCommand parent;
        @Option(names = "--pod", paramLabel = "POD") String pod;
        @Option(names = "--status", paramLabel = "STATUS",
                description = "SUBMITTED, QUEUED, RUNNING, SUCCEEDED, FAILED or ABORTED") String status;
        @Option(names = "--limit", paramLabel = "N", description = "at most N (default 100, up to 1000)") Integer limit;

        public Integer call() {
            StringBuilder q = new StringBuilder();
            append(q, "pod", pod);
            append(q, "status", status);
            append(q, "limit", limit == null ? null : limit.toString());
            return parent.cloud.execute(api -> api.get("/api/jobs" + q), JobCommands::list);
        }

        private static void append(StringBuilder q, String name, String value) {
            if (value != null) {
                q.append(q.length() == 0 ? '?' : '&').append(name).append('=').append(ApiClient.segment(value));
            }
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true, description = "Abort a queued or running job.")
    static final class Abort implements Callable<Integer> {
        @ParentCommand JobCommand parent;
        @Parameters(index = "0", paramLabel = "ID") String id;
        @Option(names = "--reason", paramLabel = "TEXT") String reason;

        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            CloudCommands.PodRegister.put(body, "reason", reason);
            return parent.cloud.execute(api -> api.post(job(id) + "/abort", body), null);
        }
    }

    static void show(PrintStream out, JsonNode j) {
        List<List<String>> rows = new ArrayList<>();
        for (String f : List.of("job_id", "pod", "status", "attempt", "node", "source", "submitted_at", "started_at",
                "ended_at", "duration_ms", "error", "last_retry")) {
            if (j.hasNonNull(f)) {
                rows.add(List.of(f, j.get(f).asText()));
            }
        }
        if (j.hasNonNull("result")) {
            rows.add(List.of("result", j.get("result").toString()));
        }
        Tables.print(out, List.of("FIELD", "VALUE"), rows);
    }

    static void list(PrintStream out, JsonNode body) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode j : body.path("jobs")) {
            rows.add(List.of(j.path("job_id").asText(), j.path("pod").asText(), j.path("status").asText(),
                    j.path("attempt").asText(), j.hasNonNull("node") ? j.get("node").asText() : "-",
                    j.path("submitted_at").asText(), j.hasNonNull("duration_ms") ? j.get("duration_ms").asText() + " ms"
                            : "-", j.hasNonNull("error") ? j.get("error").asText() : ""));
        }
        Tables.print(out, List.of("JOB", "POD", "STATUS", "ATTEMPT", "NODE", "SUBMITTED", "DURATION", "ERROR"), rows);
        StringBuilder counts = new StringBuilder();
        body.path("counts").fields().forEachRemaining(e -> counts.append(counts.length() == 0 ? "" : ", ")
                .append(e.getKey().toLowerCase(java.util.Locale.ROOT)).append(' ').append(e.getValue().asText()));
        if (counts.length() > 0) {
            out.println("(jobs by status, whatever --status and --limit: " + counts + ")");
        }
    }
}
