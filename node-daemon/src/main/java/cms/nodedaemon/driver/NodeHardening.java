package cms.nodedaemon.driver;

import cms.core.config.ConfigException;
import cms.core.config.Settings;
import cms.core.model.ImageAllowList;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How node containers are confined. Always: no new privileges (setuid binaries gain nothing) and every
 * capability dropped. Settings: {@code CMS_NODE_CAP_ADD} (capabilities given back, comma-separated, e.g.
 * {@code NET_BIND_SERVICE}; default none: the demo workload runs as nobody on port 8080 and needs none);
 * {@code CMS_NODE_PIDS_LIMIT} (default {@value #DEFAULT_PIDS}: processes and threads in one container, so a
 * fork bomb stays inside it); {@code CMS_NODE_READ_ONLY_ROOT} (default {@code true}: the root filesystem is
 * read-only and {@code /tmp} a tmpfs of {@code CMS_NODE_TMP_MB} MB, default {@value #DEFAULT_TMP_MB}, counted
 * in the node's memory; an image labelled {@value #WRITABLE_ROOT_LABEL}{@code =true} gets a writable root);
 * {@code CMS_NODE_USER} (default: the image's own {@code USER}; {@code UID[:GID]} to impose one, e.g. on
 * images that run as root); {@code CMS_NODE_INIT} (default {@code true}: Docker's init is PID 1 and reaps
 * orphans, without which a workload that does not reap (a JVM) keeps every exited child as a zombie
 * holding a pid until the limit is reached); {@code CMS_IMAGE_ALLOW} ({@link ImageAllowList}: images
 * outside it are not pulled or run).
 */
public record NodeHardening(List<Capability> capAdd, long pidsLimit, boolean readOnlyRoot, int tmpMb, String user,
                            boolean init, ImageAllowList images) {

    public static final int DEFAULT_PIDS = 512;
    public static final int DEFAULT_TMP_MB = 64;
    /** The image label by which an image that writes outside {@code /tmp} asks for a writable root. */
    public static final String WRITABLE_ROOT_LABEL = "cms.writable-root";
    private static final Pattern USER = Pattern.compile("[0-9]{1,10}(:[0-9]{1,10})?");

    public NodeHardening {
        capAdd = List.copyOf(capAdd);
    }

    /** The defaults: nothing given back, {@value #DEFAULT_PIDS} pids, read-only root, init, every image. */
    public static final NodeHardening DEFAULTS = new NodeHardening(List.of(), DEFAULT_PIDS, true, DEFAULT_TMP_MB,
            null, true, ImageAllowList.all());

    public static NodeHardening from(Settings s) {
        String user = s.string("CMS_NODE_USER", null);
        if (user != null && !USER.matcher(user).matches()) {
            throw new ConfigException("CMS_NODE_USER: '" + user + "' is not UID or UID:GID (numbers)");
        }
        return new NodeHardening(capabilities(s.string("CMS_NODE_CAP_ADD", "")),
                s.integer("CMS_NODE_PIDS_LIMIT", DEFAULT_PIDS, 16, 4_194_304),
                bool(s, "CMS_NODE_READ_ONLY_ROOT", true),
                s.integer("CMS_NODE_TMP_MB", DEFAULT_TMP_MB, 1, 64 * 1024), user,
                bool(s, "CMS_NODE_INIT", true), ImageAllowList.from(s));
    }

    private static boolean bool(Settings s, String key, boolean fallback) {
        String v = s.string(key, String.valueOf(fallback)).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new ConfigException(key + ": '" + v + "' is not true or false");
        }
        return Boolean.parseBoolean(v);
    }

    private static List<Capability> capabilities(String csv) {
        List<Capability> out = new ArrayList<>();
        for (String raw : csv.split(",")) {
            String word = raw.trim().toUpperCase(Locale.ROOT);
            word = word.startsWith("CAP_") ? word.substring(4) : word;
            if (word.isEmpty()) {
                continue;
            }
            try {
                Capability c = Capability.valueOf(word);
                if (c == Capability.ALL) {
                    throw new IllegalArgumentException("ALL");
                }
                out.add(c);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("CMS_NODE_CAP_ADD: '" + raw.trim() + "' is not a Linux capability that "
                        + "may be given back (e.g. NET_BIND_SERVICE, CHOWN; not ALL)");
            }
        }
        return out;
    }

    /**
     * Confines {@code hostConfig} for a container of an image with these labels (null: none); returns it.
     * A writable root is given only when the image asks for it by its label, or read-only roots are off.
     */
    public HostConfig apply(HostConfig hostConfig, Map<String, String> imageLabels) {
        boolean writable = !readOnlyRoot || imageLabels != null
                && "true".equalsIgnoreCase(imageLabels.getOrDefault(WRITABLE_ROOT_LABEL, "").trim());
        hostConfig.withSecurityOpts(List.of("no-new-privileges:true"))
                .withCapDrop(Capability.ALL).withPidsLimit(pidsLimit).withInit(init)
                .withReadonlyRootfs(!writable);
        if (!capAdd.isEmpty()) {
            hostConfig.withCapAdd(capAdd.toArray(Capability[]::new));
        }
        if (!writable) {
            hostConfig.withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,size=" + tmpMb + "m,mode=1777"));
        }
        return hostConfig;
    }

    /** What this confinement is, for the daemon's start-up line. */
    public String describe() {
        return "no-new-privileges, capabilities dropped" + (capAdd.isEmpty() ? "" : " but " + capAdd)
                + ", pids limit " + pidsLimit + (readOnlyRoot ? ", read-only root with a " + tmpMb + " MB /tmp"
                : ", writable root") + (user == null ? "" : ", user " + user) + (init ? ", init" : "")
                + ", images: " + images;
    }
}
