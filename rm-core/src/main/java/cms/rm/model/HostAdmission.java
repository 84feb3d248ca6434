package cms.rm.model;

import cms.core.auth.TokenBook;
import cms.core.event.HostEvent;
import cms.core.event.TokenRecord;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * Which hosts the resource manager listens to. In {@code token} mode (the default) a host is admitted once its
 * daemon presented a valid join token for its host id in its {@code HostJoined} ({@code cloud host join-token
 * HOST}, at most 15 minutes, used once), or when it is trusted by configuration ({@code cms dev}'s own daemon);
 * every other host's events are ignored: it gets no nodes, and what it says of nodes changes nothing. In
 * {@code open} mode every host is admitted (a cluster whose Kafka ACLs already allow only the daemons to write
 * {@code host-events}).
 */
public final class HostAdmission {

    /** How hosts are admitted ({@code CMS_RM_HOST_ADMISSION}). */
    public enum Mode {
        TOKEN, OPEN;

        public static Mode parse(String text) {
            return switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "token" -> TOKEN;
                case "open" -> OPEN;
                default -> throw new IllegalArgumentException("'" + text + "' is not token or open");
            };
        }
    }

    /** Whether a host's events are listened to without a join token (the mode, or a trusted host). */
    public static boolean listensTo(Mode mode, java.util.function.Predicate<String> admitted, Set<String> trusted,
                                    String host) {
        return mode == Mode.OPEN || host == null || admitted.test(host) || trusted.contains(host);
    }

    /** The decision for one host event: admitted or not, and the join token it used up (to tombstone), if any. */
    public record Decision(boolean admitted, TokenRecord.JoinToken used, String refusal) {
        static Decision admit() {
            return new Decision(true, null, null);
        }
    }

    private HostAdmission() {
    }

    /**
     * The decision for {@code event}: {@code admitted} says which hosts were admitted so far, {@code trusted} holds
     * those configured as trusted; {@code book} holds the stored join tokens.
     */
    public static Decision decide(Mode mode, java.util.function.Predicate<String> admitted, Set<String> trusted,
                                  HostEvent event, TokenBook book, Instant now) {
        String host = event.hostId();
        if (mode == Mode.OPEN || admitted.test(host) || trusted.contains(host)) {
            return Decision.admit();
        }
        if (event instanceof HostEvent.HostJoined joined && joined.joinToken() != null) {
            TokenBook.JoinCheck check = book.join(joined.joinToken(), host, now);
            return check.ok() ? new Decision(true, check.token(), null)
                    : new Decision(false, null, "host " + host + " not admitted: " + check.refusal());
        }
        return new Decision(false, null, "host " + host + " has not joined: start its daemon with CMS_JOIN_TOKEN "
                + "set to the token `cloud host join-token " + host + "` prints");
    }
}
