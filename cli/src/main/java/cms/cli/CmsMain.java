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
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        if (args.length > 0 && args[0].equals("cloud")) {
            String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
            return CloudCommand.run(rest, out, err, env);
        }
        return commandLine(out, err, env).execute(args);
    }

    /**
     * The {@code cms} command tree. {@code simulate} hangs under the {@code elasticity} service command:
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
