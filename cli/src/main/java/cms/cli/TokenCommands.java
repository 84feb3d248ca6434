package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cloud token create|ls|revoke} (admin) and {@code cloud auth token|status}. */
final class TokenCommands {

    private TokenCommands() {
    }

    @Command(name = "token", mixinStandardHelpOptions = true, description = "API tokens (admin): create one for a "
            + "person or a program with a role (viewer reads; operator also launches, removes, pauses, scales, runs "
            + "jobs, cordons; admin also registers pods and manages tokens), list them, revoke one.",
            subcommands = {Create.class, Ls.class, Revoke.class})
    static final class TokenCommand {
        @ParentCommand CloudCommand cloud;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token and print it, this once "
            + "(CMS keeps only its hash).")
    static final class Create implements Callable<Integer> {
        @ParentCommand TokenCommand parent;
        @Parameters(index = "0", paramLabel = "NAME", description = "who or what it is for (e.g. ci, alice)") String name;
        @Option(names = "--role", required = true, description = "viewer, operator or admin") String role;
        @Option(names = "--ttl", description = "how long it is valid: 90s, 30m, 12h, 30d (default: until revoked)")
        String ttl;

        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("role", role);
            if (!TokenCommands.putTtl(body, ttl, parent.cloud.err)) {
                return CloudCommand.USAGE;
            }
            return parent.cloud.execute(api -> api.post("/api/tokens", body), (out, data) -> {
                out.println(data.path("token").asText());
                parent.cloud.err.println("token " + data.path("id").asText() + " (" + data.path("name").asText() + ", "
                        + data.path("role").asText() + ")" + (data.hasNonNull("expires_at") ? ", valid until "
                        + data.path("expires_at").asText() : "") + ": shown this once, keep it secret");
            });
        }
    }

    /**
     * Puts {@code --ttl}'s seconds into {@code body} as {@code ttl_seconds} when it is given; false (the reason
     * printed on {@code err}) when it is not a duration.
     */
    static boolean putTtl(Map<String, Object> body, String ttl, PrintStream err) {
        if (ttl == null) {
            return true;
        }
        try {
            body.put("ttl_seconds", seconds(ttl));
            return true;
        } catch (IllegalArgumentException e) {
            err.println("cloud: --ttl: " + e.getMessage());
            return false;
        }
    }

    /** Seconds of a duration written 90s, 30m, 12h, 30d or in ISO-8601 (PT12H). */
    static long seconds(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        var m = java.util.regex.Pattern.compile("([0-9]{1,9})([smhd])").matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> n;
                case "m" -> n * 60;
                case "h" -> n * 3600;
                default -> n * 86_400;
            };
        }
        try {
            return Duration.parse(text.strip().toUpperCase(Locale.ROOT)).toSeconds();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 90s, 30m, 12h, 30d)");
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the tokens: id, name, role, when "
            + "made, until when valid (never a secret).")
    static final class Ls implements Callable<Integer> {
        @ParentCommand TokenCommand parent;

        public Integer call() {
            return parent.cloud.execute(api -> api.getAll("/api/tokens"), TokenCommands::table);
        }
    }

    static void table(PrintStream out, JsonNode tokens) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode t : tokens) {
            rows.add(List.of(t.path("id").asText(), t.path("name").asText(), t.path("role").asText(),
                    t.path("created_at").asText("-"), t.hasNonNull("expires_at") ? t.get("expires_at").asText() : "never"));
        }
        Tables.print(out, List.of("ID", "NAME", "ROLE", "CREATED", "EXPIRES"), rows);
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by its id: refused from "
            + "the next request on.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand TokenCommand parent;
        @Parameters(index = "0", paramLabel = "ID") String id;

        public Integer call() {
            return parent.cloud.execute(api -> api.delete("/api/tokens/" + ApiClient.segment(id)), null);
        }
    }

    @Command(name = "auth", mixinStandardHelpOptions = true, description = "The token this client sends.",
            subcommands = {Token.class, Status.class})
    static final class AuthCommand {
        @ParentCommand CloudCommand cloud;
    }

    @Command(name = "token", mixinStandardHelpOptions = true, description = "Print the token cloud sends to its API, "
            + "for scripts: curl -H \"Authorization: Bearer $(./cloud auth token)\" …")
    static final class Token implements Callable<Integer> {
        @ParentCommand AuthCommand parent;

        public Integer call() {
            CloudCommand cloud = parent.cloud;
            String base = ClientConfig.normalise(cloud.baseUrl());
            var token = cloud.chosenToken(base);
            if (token.isEmpty()) {
                cloud.err.println("cloud: no token for " + base + ": give --token or CMS_TOKEN, or run cms dev, which "
                        + "writes one to " + cloud.configPath());
                return CloudCommand.REFUSED;
            }
            cloud.out.println(token.get());
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Who the API takes this client for: "
            + "its token's id, name and role.")
    static final class Status implements Callable<Integer> {
        @ParentCommand AuthCommand parent;

        public Integer call() {
            return parent.cloud.execute(api -> api.get("/api/whoami"), (out, data) -> out.println(
                    "logged in to " + ClientConfig.normalise(parent.cloud.baseUrl()) + " as " + data.path("name").asText()
                    + " (" + data.path("role").asText() + ", token " + data.path("id").asText() + ")"));
        }
    }
}
