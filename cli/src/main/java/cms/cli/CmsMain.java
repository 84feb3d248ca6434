package cms.cli;

import cms.core.config.ConfigException;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cms}: every CMS service and the {@code cloud} client in one jar. */
@Command(name = "cms", mixinStandardHelpOptions = true, version = "cms 0.1",
        description = "CMS, an elastic cloud management system.",
        footer = {"", "  cloud ...             The client (the same as ./cloud; cms cloud --help)."},
        subcommands = {CommandLine.HelpCommand.class, ServiceCommands.ResourceManager.class, ServiceCommands.Web.class,
            ServiceCommands.NodeDaemon.class, ServiceCommands.Balancer.class, ServiceCommands.Elasticity.class})
public final class CmsMain {

    public static void main(String[] args) {
        commonPoolOfTwo();
        if (args.length > 0 && args[0].equals("cloud")) {
            CloudMain.sendPostsOnce();
        }
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    static final String COMMON_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    /**
     * On a machine of one or two cores the JDK's common pool has one worker, and then CompletableFuture runs every
     * asynchronous stage that names no executor on a thread of its own, created for it and ended after: the JDK's HTTP
     * client does so for each call, so the resource manager started a thread per job it sent (seen in a profile of
     * the job path on a 2-core machine). Two workers at least, unless the operator chose; before anything uses the pool.
     */
    static void commonPoolOfTwo() {
        if (System.getProperty(COMMON_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(COMMON_PARALLELISM, "2");
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        if (args.length > 0 && args[0].equals("cloud")) {
            String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
            return CloudCommand.run(rest, out, err, env);
        }
        return commandLine(out, err, env).execute(args);
    }

    /**
     * The {@code cms} command tree. {@code simulate} and {@code traces} hang under the {@code elasticity} service command:
     * {@code cms elasticity} alone still runs the service (picocli runs the last command given), and its
     * own output streams are passed in here, as for {@code dev} and {@code bench}.
     */
    static CommandLine commandLine(PrintStream out, PrintStream err, Map<String, String> env) {
        CommandLine cl = new CommandLine(new CmsMain());
        cl.addSubcommand("dev", new DevCommand(env, out));
        cl.addSubcommand("kafka", new KafkaCommand(out));
        cl.addSubcommand("kafka-acls", new KafkaAclsCommand(env, out));
        cl.addSubcommand("bench", new BenchCommand(out, env));
        cl.addSubcommand("token", new TokenGenerateCommand(out));
        cl.getSubcommands().get("elasticity").addSubcommand("simulate", new SimulateCommand(out, err));
        cl.getSubcommands().get("elasticity").addSubcommand("traces", new TracesCommand(out, err));
        CommandLine.IParameterExceptionHandler usage = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((ex, a) -> ex.getCommandLine().getCommand() instanceof SimulateCommand
                ? SimulateCommand.usageError(ex, err) : usage.handleParseException(ex, a));
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            err.println("cms: " + (ex instanceof ConfigException ? ex.getMessage() : ex.toString()));
            return 1;
        });
        return cl;
    }
}
