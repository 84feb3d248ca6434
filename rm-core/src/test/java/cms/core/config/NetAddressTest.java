package cms.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Addresses in settings: what is accepted, the one-line errors, loopback and wildcard, and the loopback warning. */
class NetAddressTest {

    @ParameterizedTest
    @CsvSource({"10.0.0.2,10.0.0.2", "' 10.0.0.2 ',10.0.0.2", "m2.example.org,m2.example.org", "m2,m2",
        "node-3.local.,node-3.local.", "fd00::2,fd00::2", "[fd00::2],fd00::2", "127.0.0.1,127.0.0.1",
        "localhost,localhost", "::1,::1"})
    void acceptsAddressesAndNamesIpv6WithoutBrackets(String value, String expected) {
        assertEquals(expected, NetAddress.check("CMS_X", value, false));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.2:5000|CMS_X: '10.0.0.2:5000' is not an address: give it without a port (the port is a setting of its own)",
        "m2:80|CMS_X: 'm2:80' is not an address: give it without a port (the port is a setting of its own)",
        "http://10.0.0.2|CMS_X: 'http://10.0.0.2' is not an address: give the bare address, e.g. 10.0.0.2, without scheme or path",
        "10.0.0.0/24|CMS_X: '10.0.0.0/24' is not an address: give the bare address, e.g. 10.0.0.2, without scheme or path",
        "10.0.0.300|CMS_X: '10.0.0.300' is not an IPv4 address",
        "10.0.2|CMS_X: '10.0.2' is not an IPv4 address",
        "010.0.0.2|CMS_X: '010.0.0.2' is not an IPv4 address",
        "fd00::zz|CMS_X: 'fd00::zz' is not an address: not an IPv6 address",
        "m 2|CMS_X: 'm 2' is not an IP address or host name",
        "-m2|CMS_X: '-m2' is not an IP address or host name",
        "m2_b|CMS_X: 'm2_b' is not an IP address or host name"})
    void refusesWhatIsNotAnAddressInOneLineNamingTheKey(String value, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> NetAddress.check("CMS_X", value, true));
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void blankIsNoAddress() {
        assertEquals("CMS_X: no address given", assertThrows(ConfigException.class,
                () -> NetAddress.check("CMS_X", " ", true)).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0"})
    void wildcardIsABindAddressOnly(String value) {
        assertEquals(value.replace("[", "").replace("]", ""), NetAddress.check("CMS_WEB_HOST", value, true));
        ConfigException e = assertThrows(ConfigException.class, () -> NetAddress.check("CMS_HOST_ADDRESS", value, false));
        assertTrue(e.getMessage().startsWith("CMS_HOST_ADDRESS: " + value + " is the wildcard address; give the "
                + "address other machines reach this one at"), e.getMessage());
        assertTrue(NetAddress.isWildcard(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.1.3", "::1", "[::1]", "localhost", "LOCALHOST", "api.localhost"})
    void loopback(String address) {
        assertTrue(NetAddress.isLoopback(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "128.0.0.1", "fd00::1", "m1", "0.0.0.0", "localhost-2", "1127.0.0.1"})
    void notLoopback(String address) {
        assertFalse(NetAddress.isLoopback(address));
        assertFalse(address.equals("0.0.0.0") ? !NetAddress.isWildcard(address) : NetAddress.isWildcard(address));
    }

    @Test
    void urlHostBracketsIpv6Only() {
        assertEquals("10.0.0.2", NetAddress.forUrl("10.0.0.2"));
        assertEquals("m2", NetAddress.forUrl("m2"));
        assertEquals("[fd00::2]", NetAddress.forUrl("fd00::2"));
        assertEquals("[fd00::2]", NetAddress.forUrl("[fd00::2]"));
    }

    @Test
    void warnsOfLoopbackOnlyWhenKafkaIsOnAnotherMachine() {
        String consequence = "nodes are out of reach";
        assertEquals(Optional.empty(), NetAddress.loopbackAmongRemotes("127.0.0.1:9092", "CMS_HOST_ADDRESS",
                "127.0.0.1", consequence), "one machine: loopback is right");
        assertEquals(Optional.empty(), NetAddress.loopbackAmongRemotes("localhost:9092,[::1]:9093", "CMS_HOST_ADDRESS",
                "127.0.0.1", consequence));
        assertEquals(Optional.empty(), NetAddress.loopbackAmongRemotes("10.0.0.1:9092", "CMS_HOST_ADDRESS",
                "10.0.0.3", consequence));
        assertEquals(Optional.of("CMS_HOST_ADDRESS is 127.0.0.1 (loopback) while Kafka is at 127.0.0.1:9092,"
                + "10.0.0.1:9092: nodes are out of reach; set CMS_HOST_ADDRESS to this machine's address on the "
                + "network the others use"), NetAddress.loopbackAmongRemotes("127.0.0.1:9092,10.0.0.1:9092",
                "CMS_HOST_ADDRESS", "127.0.0.1", consequence));
    }

    @Test
    void settingsReadBindAndAdvertisedAddressesWithLoopbackAsTheDefault() {
        Settings none = new Settings(Map.of());
        assertEquals("127.0.0.1", none.bindAddress("CMS_WEB_HOST", NetAddress.LOOPBACK));
        assertEquals("127.0.0.1", none.advertisedAddress("CMS_HOST_ADDRESS", NetAddress.LOOPBACK));
        Settings set = new Settings(Map.of("CMS_WEB_HOST", "0.0.0.0", "CMS_HOST_ADDRESS", "10.0.0.3"));
        assertEquals("0.0.0.0", set.bindAddress("CMS_WEB_HOST", NetAddress.LOOPBACK));
        assertEquals("10.0.0.3", set.advertisedAddress("CMS_HOST_ADDRESS", NetAddress.LOOPBACK));
        assertThrows(ConfigException.class, () -> set.advertisedAddress("CMS_WEB_HOST", NetAddress.LOOPBACK));
    }
}
