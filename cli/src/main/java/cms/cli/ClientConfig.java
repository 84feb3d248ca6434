package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@code cloud} finds its API and token with no flag, as {@code kubectl} finds its kubeconfig:
 * {@code $CMS_CLIENT_CONFIG}, else {@code $XDG_CONFIG_HOME/cms/client.json}, else
 * {@code ~/.config/cms/client.json}; JSON {@code {"url": …, "token": …}}. {@code cms dev} writes it (the file
 * mode 600, its folder 700) with the admin token it made; the token is sent only to that URL.
 */
final class ClientConfig {

    /** The API's URL and the token for it. */
    record Entry(String url, String token) {
        @Override
        public String toString() {
            return "Entry[" + url + ", token " + (token == null ? "none" : "set") + "]";
        }
    }

    private ClientConfig() {
    }

    static Path path(Map<String, String> env) {
        String explicit = env.get("CMS_CLIENT_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "cms", "client.json");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".config", "cms", "client.json");
    }

    /** The file's entry; empty when there is no file or it is not such JSON. */
    static Optional<Entry> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JsonTrees.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (n == null || !n.isObject()) {
                return Optional.empty();
            }
            String url = n.path("url").isTextual() ? n.get("url").asText() : null;
            String token = n.path("token").isTextual() ? n.get("token").asText() : null;
            return url == null ? Optional.empty() : Optional.of(new Entry(url, token));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Writes the entry readable by its owner alone (the folder made 700 when missing), replacing the file at once. */
    static void write(Path file, Entry entry) throws IOException {
        ObjectMapper mapper = new ObjectMapper(); // made here: a client that only reads the file never makes one
        ObjectNode n = mapper.createObjectNode().put("url", entry.url()).put("token", entry.token());
        writeSecret(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n");
    }

    /** Writes {@code text} to {@code file} readable by its owner alone (mode 600; the folder made 700 when missing). */
    static void writeSecret(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path tmp = posix ? Files.createTempFile(dir, ".client", ".json",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, ".client", ".json");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The token for the API at {@code base}: {@code flag} (a {@code --token}), else {@code $CMS_TOKEN}, else the
     * client configuration's when it is for that same URL (a token is never sent to another API than the one it
     * was written for).
     */
    static Optional<String> token(String flag, Map<String, String> env, String base) {
        if (flag != null && !flag.isBlank()) {
            return Optional.of(flag.strip());
        }
        String fromEnv = env.get("CMS_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.strip());
        }
        return read(path(env)).filter(e -> sameApi(e.url(), base)).map(Entry::token).filter(t -> !t.isBlank());
    }

    /** Two URLs of one API: the same after trailing slashes and a trailing /api are dropped. */
    static boolean sameApi(String a, String b) {
        return a != null && b != null && normalise(a).equalsIgnoreCase(normalise(b));
    }

    static String normalise(String url) {
        return url.strip().replaceAll("/+$", "").replaceAll("/api$", "");
    }
}
