package cms.cli;

import cms.core.auth.TokenSecret;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cms token generate}: a new API token's text, made on this machine with no service running, for an
 * install's first admin token ({@code CMS_RM_ADMIN_TOKEN_FILE} names the file; the resource manager stores its
 * hash at start). With {@code --out} it is written to a new file readable by its owner alone.
 */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Tokens made offline.",
        subcommands = {TokenGenerateCommand.Generate.class})
final class TokenGenerateCommand {

    final PrintStream out;

    TokenGenerateCommand(PrintStream out) {
        this.out = out;
    }

    @Command(name = "generate", mixinStandardHelpOptions = true, description = "Print a new token (cms_<id>_<secret>), "
            + "or write it to --out with mode 600, for CMS_RM_ADMIN_TOKEN_FILE.")
    static final class Generate implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand TokenGenerateCommand parent;
        @Option(names = "--out", paramLabel = "FILE", description = "write it to FILE (mode 600; an existing file "
                + "is kept unless --force)") Path file;
        @Option(names = "--force", description = "replace an existing --out file") boolean force;

        public Integer call() throws Exception {
            TokenSecret token = TokenSecret.issue(new SecureRandom());
            if (file == null) {
                parent.out.println(token.text());
                return 0;
            }
            if (Files.exists(file) && !force) {
                System.err.println("cms: " + file + " exists; it is kept (--force replaces it)");
                return 1;
            }
            ClientConfig.writeSecret(file, token.text() + "\n");
            parent.out.println("token " + token.id() + " written to " + file + " (mode 600)");
            return 0;
        }
    }
}
