package cms.nodedaemon.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.config.ConfigException;
import cms.core.config.Settings;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The confinement of node containers: its settings, their one-line errors, and the host config it makes. */
class NodeHardeningTest {

    private static NodeHardening of(Map<String, String> values) {
        return NodeHardening.from(new Settings(values));
    }

    @Test
    void defaultsDropEverythingBoundPidsAndMakeTheRootReadOnly() {
        NodeHardening h = of(Map.of());
        assertEquals(NodeHardening.DEFAULTS, h);
        HostConfig c = h.apply(HostConfig.newHostConfig().withMemory(100L << 20), Map.of());
        assertEquals(List.of("no-new-privileges:true"), c.getSecurityOpts());
        assertEquals(List.of(Capability.ALL), List.of(c.getCapDrop()));
        assertNull(c.getCapAdd());
        assertEquals(512L, c.getPidsLimit());
        assertTrue(c.getReadonlyRootfs());
        assertEquals(Map.of("/tmp", "rw,nosuid,nodev,size=64m,mode=1777"), c.getTmpFs());
        assertTrue(c.getInit());
        assertEquals(100L << 20, c.getMemory(), "what was set before stays");
        assertTrue(h.images().open());
    }

    @Test
    void settingsAreRead() {
        NodeHardening h = of(Map.of("CMS_NODE_PIDS_LIMIT", "100", "CMS_NODE_CAP_ADD", " net_bind_service , CAP_CHOWN",
                "CMS_NODE_READ_ONLY_ROOT", "FALSE", "CMS_NODE_TMP_MB", "8", "CMS_NODE_USER", "1000:1000",
                "CMS_NODE_INIT", "false", "CMS_IMAGE_ALLOW", "cms/*"));
        assertEquals(new NodeHardening(List.of(Capability.NET_BIND_SERVICE, Capability.CHOWN), 100, false, 8,
                "1000:1000", false, h.images()), h);
        assertTrue(h.images().allows("cms/workload:dev"));
        assertFalse(h.images().allows("nginx"));
        HostConfig c = h.apply(HostConfig.newHostConfig(), null);
        assertEquals(List.of(Capability.NET_BIND_SERVICE, Capability.CHOWN), List.of(c.getCapAdd()));
        assertEquals(List.of(Capability.ALL), List.of(c.getCapDrop()));
        assertFalse(c.getReadonlyRootfs());
        assertNull(c.getTmpFs(), "a writable root needs no tmpfs");
        assertFalse(c.getInit());
        assertEquals(100L, c.getPidsLimit());
    }

    @ParameterizedTest
    @CsvSource({"true, false", "TRUE, false", "' true ', false", "false, true", "yes, true", "'', true"})
    void anImageAsksForAWritableRootByItsLabel(String label, boolean readOnly) {
        HostConfig c = NodeHardening.DEFAULTS.apply(HostConfig.newHostConfig(),
                Map.of(NodeHardening.WRITABLE_ROOT_LABEL, label, "other", "x"));
        assertEquals(readOnly, c.getReadonlyRootfs());
        assertEquals(readOnly, c.getTmpFs() != null);
        assertEquals(List.of("no-new-privileges:true"), c.getSecurityOpts(), "the rest stays confined");
        assertEquals(512L, c.getPidsLimit());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "CMS_NODE_PIDS_LIMIT | lots | CMS_NODE_PIDS_LIMIT: not a whole number: 'lots'",
        "CMS_NODE_PIDS_LIMIT | 4    | CMS_NODE_PIDS_LIMIT: 4 is outside [16, 4194304]",
        "CMS_NODE_TMP_MB     | 0    | CMS_NODE_TMP_MB: 0 is outside [1, 65536]",
        "CMS_NODE_READ_ONLY_ROOT | yes | CMS_NODE_READ_ONLY_ROOT: 'yes' is not true or false",
        "CMS_NODE_INIT       | 1    | CMS_NODE_INIT: '1' is not true or false",
        "CMS_NODE_USER       | root | CMS_NODE_USER: 'root' is not UID or UID:GID (numbers)",
        "CMS_NODE_USER       | 1:x  | CMS_NODE_USER: '1:x' is not UID or UID:GID (numbers)",
        "CMS_NODE_CAP_ADD    | SYS_ADMIN,FLY | CMS_NODE_CAP_ADD: 'FLY' is not a Linux capability that may be given back (e.g. NET_BIND_SERVICE, CHOWN; not ALL)",
        "CMS_NODE_CAP_ADD    | ALL  | CMS_NODE_CAP_ADD: 'ALL' is not a Linux capability that may be given back (e.g. NET_BIND_SERVICE, CHOWN; not ALL)",
        "CMS_IMAGE_ALLOW     | cms/App | CMS_IMAGE_ALLOW: 'cms/App' is not an image name pattern: name part 'App' is not valid (lower-case letters and digits, separated by '.', '_', '__' or '-') ('*' matches within one part of the name, '**' across parts)"})
    void aBadValueIsOneLineNamingTheKey(String key, String value, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> of(Map.of(key, value)));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "0", "root", "0:0", "root:staff"})
    void rootUsers(String user) {
        assertTrue(DockerImages.runsAsRoot(user));
    }

    @ParameterizedTest
    @ValueSource(strings = {"65534:65534", "nobody", "1000", "app:app", "rooty"})
    void unprivilegedUsers(String user) {
        assertFalse(DockerImages.runsAsRoot(user));
        assertTrue(DockerImages.runsAsRoot(null));
    }

    @Test
    void itDescribesItselfInOneLine() {
        assertEquals("no-new-privileges, capabilities dropped, pids limit 512, read-only root with a 64 MB /tmp, init, "
                + "images: unset (every image allowed)", NodeHardening.DEFAULTS.describe());
    }
}
