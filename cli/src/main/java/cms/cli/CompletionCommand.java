package cms.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cloud completion bash|zsh}: a completion script for the shell, made by picocli from the whole command tree
 * (every command, sub-command and option; nothing runs Java when TAB is pressed). It is one script for both shells:
 * zsh runs it through its bash completion layer ({@code bashcompinit}), which the script turns on.
 */
@Command(name = "completion", mixinStandardHelpOptions = true, description = {
    "Print a completion script for bash or zsh.",
    "bash: source <(cloud completion bash)   (or save it as ~/.local/share/bash-completion/completions/cloud)",
    "zsh:  source <(cloud completion zsh)    (in ~/.zshrc)"})
final class CompletionCommand implements Callable<Integer> {

    /** The shells it writes for: what {@code cloud completion <TAB>} offers. */
    static final class Shells extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Shells() {
            super(List.of("bash", "zsh"));
        }
    }

    @ParentCommand CloudCommand cloud;
    @Spec CommandSpec spec;
    @Parameters(index = "0", paramLabel = "SHELL", completionCandidates = Shells.class, description = "bash or zsh")
    String shell;

    @Override
    public Integer call() {
        if (!new Shells().contains(shell)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "SHELL: bash or zsh, not '" + shell + "'");
        }
        cloud.out.print(script(spec.root().commandLine(), shell));
        return 0;
    }

    /** The script for {@code shell}, for the commands under {@code root}, with a first line saying how to load it. */
    static String script(CommandLine root, String shell) {
        String load = shell.equals("zsh") ? "# zsh: source <(cloud completion zsh) in ~/.zshrc (zsh's bashcompinit "
                + "runs it)\n" : "# bash: source <(cloud completion bash), or save it as "
                + "~/.local/share/bash-completion/completions/cloud\n";
        String bash = AutoComplete.bash(root.getCommandName(), root);
        int afterShebang = bash.indexOf('\n') + 1;
        return bash.substring(0, afterShebang) + load + bash.substring(afterShebang);
    }
}
