package cms.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code cloud} commands under the root, by name, in the order help lists them, and which of them one run
 * builds. picocli builds every command it is given before it parses (reflection over each class, its options and
 * its help): for all of them about 60 ms of CPU, a quarter of a short-lived {@code cloud}'s (measured: {@code cloud
 * pod --help} 0.19 s of CPU, {@code cloud help pod}, the same help from the whole tree, 0.25 s). A run that names one
 * command gets only that one (with its own sub-commands). A run that names none, or one that is not here, or
 * {@code help} or {@code completion} (which list the others) gets them all, so help, suggestions and errors read as
 * before.
 */
final class CloudCommandTree {

    /** The root's options that take a value: the word after one is that value, not a command. */
    private static final List<String> OPTIONS_WITH_VALUE = List.of("--url", "--token");

    /** The commands that list the others, and so need them all. */
    private static final List<String> LISTING = List.of("help", "completion");

    private static final Map<String, Class<?>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("help", CommandLine.HelpCommand.class);
        COMMANDS.put("init", CloudCommands.Init.class);
        COMMANDS.put("pod", CloudCommands.PodCommand.class);
        COMMANDS.put("register", CloudCommands.Register.class);
        COMMANDS.put("rm", CloudCommands.Rm.class);
        COMMANDS.put("launch", CloudCommands.Launch.class);
        COMMANDS.put("pause", CloudCommands.Pause.class);
        COMMANDS.put("resume", CloudCommands.Resume.class);
        COMMANDS.put("node", CloudCommands.NodeCommand.class);
        COMMANDS.put("host", CloudCommands.HostCommand.class);
        COMMANDS.put("elasticity", CloudCommands.ElasticityCommand.class);
        COMMANDS.put("request", RequestCommand.class);
        COMMANDS.put("job", JobCommands.JobCommand.class);
        COMMANDS.put("token", TokenCommands.TokenCommand.class);
        COMMANDS.put("auth", TokenCommands.AuthCommand.class);
        COMMANDS.put("completion", CompletionCommand.class);
    }

    private CloudCommandTree() {
    }

    /** Every command's name, in help's order. */
    static Collection<String> names() {
        return COMMANDS.keySet();
    }

    /** The command classes a run with these arguments needs, in help's order. */
    static List<Class<?>> forArgs(String[] args) {
        String word = commandWord(args);
        if (word == null || !COMMANDS.containsKey(word) || LISTING.contains(word)) {
            return new ArrayList<>(COMMANDS.values());
        }
        return List.of(COMMANDS.get(word));
    }

    /** Adds the commands a run with these arguments needs to {@code root}. */
    static void addTo(CommandLine root, String[] args) {
        for (Class<?> command : forArgs(args)) {
            root.addSubcommand(command);
        }
    }

    /** The first word that is neither an option nor an option's value: the command named, or null. */
    static String commandWord(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return null; // what follows is no command to picocli either
            }
            if (OPTIONS_WITH_VALUE.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }
}
