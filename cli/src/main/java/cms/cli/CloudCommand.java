package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.BiConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cloud}: the original system's client, over the CMS admin API. Tables for people, {@code --json}
 * for scripts. Exit codes: 0 done, 1 refused by CMS (the reason is printed), 2 bad usage, 3 CMS
 * unreachable or failing.
 */
@Command(name = "cloud", mixinStandardHelpOptions = true, version = "cms 0.1",
        description = "Manage the CMS cloud: pods, nodes, hosts, elasticity, jobs.")
public final class CloudCommand {

    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int UNAVAILABLE = 3;
    static final String DEFAULT_URL = "http://127.0.0.1:8080";

    @Option(names = "--url", scope = CommandLine.ScopeType.INHERIT,
            description = "CMS API URL (default: $CMS_URL, else " + DEFAULT_URL + ")")
    String url;

    @Option(names = "--token", scope = CommandLine.ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "API token (default: $CMS_TOKEN, else the token cms dev wrote to the client configuration "
                    + "for its URL: $CMS_CLIENT_CONFIG, else ~/.config/cms/client.json)")
    String token;

    @Option(names = "--json", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the API's JSON instead of tables.")
    boolean json;

    final PrintStream out;
    final PrintStream err;
    private final Map<String, String> env;

    CloudCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** Runs the {@code cloud} client with these arguments and returns its exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return commandLine(out, err, env, args).execute(args);
    }

    /** The command tree a run with {@code args} needs (see {@link CloudCommandTree}); all of it for no arguments. */
    static CommandLine commandLine(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        CommandLine cl = new CommandLine(new CloudCommand(out, err, env));
        CloudCommandTree.addTo(cl, args); // before the settings below, which reach the commands there are
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("cloud: " + ex.getMessage().lines().findFirst().orElse("bad usage")
                    + " (see: cloud help " + String.join(" ", ex.getCommandLine().getCommandSpec().qualifiedName()
                    .replaceFirst("^cloud ?", "")).trim() + ")");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            err.println("cloud: " + ex.getMessage());
            return UNAVAILABLE;
        });
        return cl;
    }

    ApiClient api() {
        String base = ClientConfig.normalise(baseUrl());
        return new ApiClient(base, chosenToken(base).orElse(null));
    }

    /** The API's URL: {@code --url}, else {@code $CMS_URL}, else the client configuration's, else the default. */
    String baseUrl() {
        if (url != null) {
            return url;
        }
        String fromEnv = env.get("CMS_URL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        return ClientConfig.read(ClientConfig.path(env)).map(ClientConfig.Entry::url).orElse(DEFAULT_URL);
    }

    /**
     * The token for {@code base}: {@code --token}, else {@code $CMS_TOKEN}, else the client configuration's when it
     * is for that same URL (a token is never sent to another API than the one it was written for).
     */
    java.util.Optional<String> chosenToken(String base) {
        return ClientConfig.token(token, env, base);
    }

    /** Where the client configuration is read from. */
    java.nio.file.Path configPath() {
        return ClientConfig.path(env);
    }

    /** A call to the API, as each command makes it. */
    interface Call {
        ApiClient.Response send(ApiClient api) throws ApiClient.UnreachableException;
    }

    /** Sends the call; prints the message (and, for people, what {@code render} makes of the data). */
    int execute(Call call, BiConsumer<PrintStream, JsonNode> render) {
        ApiClient.Response r;
        try {
            r = call.send(api());
        } catch (ApiClient.UnreachableException e) {
            err.println("cloud: " + e.getMessage());
            return UNAVAILABLE;
        }
        if (!r.ok()) {
            return refused(r);
        }
        if (json) {
            out.println(r.body().toPrettyString());
        } else if (render != null) {
            render.accept(out, r.body().has("data") ? r.data() : r.body());
        } else {
            out.println(r.message());
        }
        return 0;
    }

    /** Says why the API refused (with its JSON for scripts) and returns the exit code for it. */
    int refused(ApiClient.Response r) {
        String field = r.body().hasNonNull("field") ? " [field: " + r.body().get("field").asText() + "]" : "";
        err.println("cloud: " + r.message() + field);
        if (r.status() == 401) {
            err.println("cloud: give a token with --token or CMS_TOKEN (cms dev writes its own to "
                    + configPath() + ")");
        }
        if (json) {
            out.println(r.body().toPrettyString());
        }
        return r.status() >= 500 ? UNAVAILABLE : REFUSED;
    }
}
