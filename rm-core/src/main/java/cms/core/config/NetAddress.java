package cms.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A host address in a setting: an IPv4 or IPv6 literal or a DNS name, with no scheme, port or path. A
 * <em>bind</em> address (where a service listens) may be a wildcard ({@code 0.0.0.0}, {@code ::}); an
 * <em>advertised</em> one (what other machines connect to: a host's node address, the frontends' address
 * jobs are sent to, a broker's listener) may not. Pure: names are checked for form, never resolved.
 */
public final class NetAddress {

    /** The single-machine default of every address setting. */
    public static final String LOOPBACK = "127.0.0.1";

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DOTTED_NUMBERS = Pattern.compile("[0-9.]+");

    private NetAddress() {
    }

    /**
     * The address {@code value} of setting {@code key}, IPv6 without brackets; a {@link ConfigException}
     * naming the key when it is not an address, or is a wildcard where {@code wildcardAllowed} is false.
     */
    public static String check(String key, String value, boolean wildcardAllowed) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            throw new ConfigException(key + ": no address given");
        }
        if (v.contains("://") || v.contains("/")) {
            throw new ConfigException(key + ": '" + v + "' is not an address: give the bare address, e.g. 10.0.0.2, "
                    + "without scheme or path");
        }
        String host = v.startsWith("[") && v.endsWith("]") ? v.substring(1, v.length() - 1) : v;
        if (host.contains(":")) {
            if (!ipv6(host)) {
                throw new ConfigException(key + ": '" + v + "' is not an address" + (v.indexOf(':') == v.lastIndexOf(':')
                        ? ": give it without a port (the port is a setting of its own)" : ": not an IPv6 address"));
            }
        } else if (DOTTED_NUMBERS.matcher(host).matches()) {
            if (!ipv4(host)) {
                throw new ConfigException(key + ": '" + v + "' is not an IPv4 address");
            }
        } else if (!name(host)) {
            throw new ConfigException(key + ": '" + v + "' is not an IP address or host name");
        }
        if (!wildcardAllowed && isWildcard(host)) {
            throw new ConfigException(key + ": " + v + " is the wildcard address; give the address other machines "
                    + "reach this one at, e.g. 10.0.0.2");
        }
        return host;
    }

    /**
     * What is wrong with an address that arrived in an event (a node's, a host's) before it goes anywhere near an
     * HAProxy command, a URL or a file: not an IP address or host name, or a wildcard. Empty when it is fine.
     */
    public static java.util.Optional<String> eventAddressProblem(String field, String value) {
        if (value != null && value.length() > 253) {
            return java.util.Optional.of(field + ": longer than 253 characters");
        }
        try {
            String host = check(field, value, false);
            return host.equals(value == null ? null : value.trim()) ? java.util.Optional.empty()
                    : java.util.Optional.of(field + ": '" + value + "' must be given bare, without brackets or blanks");
        } catch (ConfigException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    /** Whether the address is this machine's loopback: 127.0.0.0/8, ::1, or the name localhost. */
    public static boolean isLoopback(String address) {
        String a = unbracket(address.trim()).toLowerCase(java.util.Locale.ROOT);
        return a.equals("localhost") || a.endsWith(".localhost") || a.equals("ip6-localhost")
                || (ipv4(a) && a.startsWith("127.")) || (a.contains(":") && ipv6(a) && literal(a).isLoopbackAddress());
    }

    /** Whether the address listens on every interface: 0.0.0.0 or ::. */
    public static boolean isWildcard(String address) {
        String a = unbracket(address.trim());
        return a.equals("0.0.0.0") || (a.contains(":") && ipv6(a) && literal(a).isAnyLocalAddress());
    }

    /** The address as the host part of a URL or a HOST:PORT pair: an IPv6 literal in brackets. */
    public static String forUrl(String address) {
        String a = unbracket(address.trim());
        return a.contains(":") ? "[" + a + "]" : a;
    }

    /**
     * A warning when a service that talks to other machines (its Kafka bootstrap is not all loopback) gives
     * out a loopback address in {@code key}: the others would reach themselves there, not this machine.
     */
    public static Optional<String> loopbackAmongRemotes(String kafkaBootstrap, String key, String address,
                                                        String consequence) {
        boolean remoteKafka = Arrays.stream(kafkaBootstrap.split(",")).map(String::trim)
                .map(hp -> hp.substring(0, Math.max(0, hp.lastIndexOf(':')))).anyMatch(h -> !isLoopback(h));
        if (!remoteKafka || !isLoopback(address)) {
            return Optional.empty();
        }
        return Optional.of(key + " is " + address + " (loopback) while Kafka is at " + kafkaBootstrap + ": "
                + consequence + "; set " + key + " to this machine's address on the network the others use");
    }

    private static String unbracket(String a) {
        return a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a;
    }

    private static boolean ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255
                    || (p.length() > 1 && p.startsWith("0"))) {
                return false;
            }
        }
        return true;
    }

    private static boolean ipv6(String s) {
        if (!s.matches("[0-9A-Fa-f:.]+") || s.length() > 45) {
            return false;
        }
        try {
            // in brackets, InetAddress takes only an IPv6 literal and never asks DNS
            return InetAddress.getByName("[" + s + "]") != null;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static InetAddress literal(String s) {
        try {
            return InetAddress.getByName("[" + s + "]");
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static boolean name(String s) {
        String n = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        if (n.isEmpty() || n.length() > 253) {
            return false;
        }
        return Arrays.stream(n.split("\\.", -1)).allMatch(l -> LABEL.matcher(l).matches());
    }
}
