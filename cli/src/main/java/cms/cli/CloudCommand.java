package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        description = "Manage the CMS cloud: pods, nodes, hosts, elasticity, jobs.",
        subcommands = {CommandLine.HelpCommand.class, CloudCommands.Init.class, CloudCommands.PodCommand.class,
            CloudCommands.Register.class, CloudCommands.Rm.class, CloudCommands.Launch.class,
            CloudCommands.Pause.class, CloudCommands.Resume.class, CloudCommands.NodeCommand.class,
            CloudCommands.HostCommand.class,
            CloudCommands.ElasticityCommand.class, RequestCommand.class, JobCommands.JobCommand.class})
public final class CloudCommand {

    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int UNAVAILABLE = 3;
    static final String DEFAULT_URL = "http://127.0.0.1:8080";

    @Option(names = "--url", scope = CommandLine.ScopeType.INHERIT,
            description = "CMS API URL (default: $CMS_URL, else " + DEFAULT_URL + ")")
    String url;

    @Option(names = "--json", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the API's JSON instead of tables.")
    boolean json;

    final PrintStream out;
    final PrintStream err;
    private final Map<String, String> env;
    private final ObjectMapper mapper = new ObjectMapper();

    CloudCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** Runs the {@code cloud} client with these arguments and returns its exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return commandLine(out, err, env).execute(args);
    }

    static CommandLine commandLine(PrintStream out, PrintStream err, Map<String, String> env) {
        CommandLine cl = new CommandLine(new CloudCommand(out, err, env));
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
        String base = url != null ? url : env.getOrDefault("CMS_URL", DEFAULT_URL);
        base = base.replaceAll("/+$", "").replaceAll("/api$", "");
        return new ApiClient(base, mapper);
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
            String field = r.body().hasNonNull("field") ? " [field: " + r.body().get("field").asText() + "]" : "";
            err.println("cloud: " + r.message() + field);
            if (json) {
                out.println(r.body().toPrettyString());
            }
            return r.status() >= 500 ? UNAVAILABLE : REFUSED;
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
}
