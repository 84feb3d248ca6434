package cms.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The class-data archive of {@code cms dev}: the {@code cms} script has the first {@code cms dev} after a build write
 * the classes it loaded as it stops ({@code cli/target/cms-dev.jsa.<pid>}, which the next {@code cms} command moves to
 * {@code cms-dev.jsa}), and later ones map them from there instead of loading and verifying them one by one (about 2 s
 * of a start on this box's 2 cores). Every other service has one of its own, {@code cms-<command>.jsa}, made the same
 * way.
 */
final class DevArchive {

    /** The file's name, beside the jar. */
    static final String NAME = "cms-dev.jsa";

    private DevArchive() {
    }

    /** Where the archive of the jar at {@code jar} is. */
    static Path next(Path jar) {
        Path dir = jar.toAbsolutePath().getParent();
        return dir == null ? Path.of(NAME) : dir.resolve(NAME);
    }

    /** Whether {@code archive} was written after {@code jar} was built (the JVM maps none of an older build). */
    static boolean fresh(Path archive, Path jar) {
        try {
            return Files.isReadable(archive)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The JVM's options to map {@code archive}; its notes only as errors, on stderr. */
    static List<String> use(Path archive) {
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:disable", "-Xlog:all=error:stderr");
    }
}
