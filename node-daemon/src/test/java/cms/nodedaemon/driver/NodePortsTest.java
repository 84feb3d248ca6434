package cms.nodedaemon.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing CMS_NODE_PORTS and handing out the lowest free port of the range. */
class NodePortsTest {

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   "})
    void noRangeLetsTheEngineOrOsPick(String range) {
        NodePorts ports = NodePorts.parse(range);

        assertNull(ports.next("n1"));
        ports.claim("n1", 20000);
        assertNull(ports.next("n2"), "claims do nothing without a range");
    }

    @Test
    void anyPicksNothing() {
        assertNull(NodePorts.any().next("n1"));
    }

    @Test
    void eachNodeGetsTheLowestFreePortAndKeepsIt() {
        NodePorts ports = NodePorts.parse("20000-20002");

        assertEquals(20000, ports.next("a"));
        assertEquals(20001, ports.next("b"));
        assertEquals(20000, ports.next("a"), "asking again gives the same port");
        assertEquals(20002, ports.next("c"));
    }

    @Test
    void aFullRangeIsAnErrorNamingTheSetting() {
        NodePorts ports = NodePorts.parse("20000-20001");
        ports.next("a");
        ports.next("b");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ports.next("c"));

        assertEquals("CMS_NODE_PORTS 20000-20001 has no free port left", e.getMessage());
    }

    @Test
    void aReleasedPortIsHandedOutAgain() {
        NodePorts ports = NodePorts.parse("20000-20001");
        ports.next("a");
        ports.next("b");

        ports.release("a");

        assertEquals(20000, ports.next("c"));
    }

    @Test
    void aClaimedPortIsSkippedAndKeptByItsNode() {
        NodePorts ports = NodePorts.parse("20000-20005");

        ports.claim("adopted", 20000);

        assertEquals(20001, ports.next("new"));
        assertEquals(20000, ports.next("adopted"));
    }

    @Test
    void aNullClaimHoldsNothing() {
        NodePorts ports = NodePorts.parse("20000-20005");

        ports.claim("n1", null);

        assertEquals(20000, ports.next("n2"));
    }

    @Test
    void aSinglePortAndSpacesAreAccepted() {
        NodePorts single = NodePorts.parse("8080");
        assertEquals(8080, single.next("a"));
        assertThrows(IllegalStateException.class, () -> single.next("b"));

        assertEquals(20000, NodePorts.parse(" 20000 - 20001 ").next("a"));
        assertEquals(1, NodePorts.parse("1-65535").next("a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "20000-", "-5", "20000-x", "1-2-3", "20000..20010"})
    void aMalformedRangeIsRejectedNamingTheSetting(String range) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodePorts.parse(range));

        assertEquals("CMS_NODE_PORTS: '" + range + "' is not FROM-TO", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0-10", "20010-20000", "60000-65536", "70000"})
    void aRangeOutsideThePortsOrBackwardsIsRejected(String range) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodePorts.parse(range));

        assertTrue(e.getMessage().startsWith("CMS_NODE_PORTS: '" + range + "'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("is not a range within 1-65535"), e.getMessage());
    }
}
