package cms.rm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.auth.TokenBook;
import cms.core.auth.TokenSecret;
import cms.core.event.AdminRequest;
import cms.core.event.HostEvent;
import cms.core.event.TokenRecord;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostAdmissionTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private final TokenBook book = new TokenBook();
    private final TokenSecret join = TokenSecret.issue(new SecureRandom());

    private void store(String host, Instant expires) {
        var r = TokenDecisions.createJoin(new AdminRequest.CreateJoinToken("r", 1, NOW, join.id(), host, join.hash(),
                expires, "admin"), NOW);
        assertEquals(201, r.reply().status(), r.reply().message());
        book.apply(TokenRecord.JOIN_PREFIX + join.id(), r.put());
    }

    private static HostEvent.HostJoined joined(String host, String token) {
        return new HostEvent.HostJoined("e", 1, NOW, host, "10.0.0.2", 2, 4096, token);
    }

    private HostAdmission.Decision decide(HostEvent e, Set<String> admitted) {
        return HostAdmission.decide(HostAdmission.Mode.TOKEN, admitted::contains, Set.of("dev-host"), e, book,
                NOW.plusSeconds(1));
    }

    @Test
    void aHostWithAValidJoinTokenForItsIdIsAdmittedAndUsesItUp() {
        store("h2", NOW.plusSeconds(900));
        HostAdmission.Decision d = decide(joined("h2", join.text()), Set.of());
        assertTrue(d.admitted());
        assertEquals(join.id(), d.used().id(), "the token to tombstone");
        assertTrue(decide(new HostEvent.HostHeartbeat("e", 1, NOW, "h2", "10.0.0.2", 2, 4096, 0, 0), Set.of("h2"))
                .admitted(), "heartbeats of an admitted host");
    }

    @Test
    void withoutAValidTokenAHostIsRefusedWithTheReasonAndTrustedHostsNeedNone() {
        store("h2", NOW.plusSeconds(900));
        assertTrue(decide(joined("h3", join.text()), Set.of()).refusal().contains("is for host h2, not h3"));
        assertTrue(decide(joined("h2", "cms_" + join.id() + "_" + "A".repeat(43)), Set.of()).refusal()
                .contains("unknown, used or revoked"));
        assertTrue(decide(joined("h2", null), Set.of()).refusal().contains("cloud host join-token h2"));
        HostAdmission.Decision beat = decide(new HostEvent.HostHeartbeat("e", 1, NOW, "h9", "10.0.0.9", 2, 4096, 0, 0),
                Set.of());
        assertFalse(beat.admitted());
        assertNull(beat.used());
        assertTrue(decide(joined("dev-host", null), Set.of()).admitted(), "cms dev's own daemon");
        assertTrue(HostAdmission.decide(HostAdmission.Mode.OPEN, h -> false, Set.of(), joined("h9", null), book, NOW)
                .admitted());
        book.apply(TokenRecord.JOIN_PREFIX + join.id(), null);
        assertFalse(decide(joined("h2", join.text()), Set.of()).admitted(), "used up or revoked");
    }

    @Test
    void anExpiredTokenIsRefusedAndAJoinTokenLivesAtMostFifteenMinutes() {
        store("h2", NOW.plusSeconds(1));
        assertTrue(HostAdmission.decide(HostAdmission.Mode.TOKEN, h -> false, Set.of(), joined("h2", join.text()), book,
                NOW.plusSeconds(2)).refusal().contains("expired"));
        var tooLong = TokenDecisions.createJoin(new AdminRequest.CreateJoinToken("r", 1, NOW, join.id(), "h2",
                join.hash(), NOW.plusSeconds(16 * 60), "admin"), NOW);
        assertEquals("ttl_seconds", tooLong.reply().field());
        var badHost = TokenDecisions.createJoin(new AdminRequest.CreateJoinToken("r", 1, NOW, join.id(), "-h",
                join.hash(), NOW.plusSeconds(60), "admin"), NOW);
        assertEquals("host", badHost.reply().field());
        assertFalse(book.authenticate(join.text(), NOW).ok(), "a join token opens no API");
    }
}
