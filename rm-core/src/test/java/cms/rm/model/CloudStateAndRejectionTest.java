package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.given;
import static cms.rm.model.CloudFixtures.host;
import static cms.rm.model.CloudFixtures.pod;
import static cms.rm.model.CloudFixtures.register;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.model.Host;
import cms.core.model.Pod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** CloudState's copy-on-write helpers and lookups, and Rejection's status and field. */
class CloudStateAndRejectionTest {

    @Test
    void helpersReturnNewStatesAndLeaveTheOriginalAlone() {
        CloudState s = given(pod("web"));
        CloudState more = s.withHost(host("h1", 2, 1024)).withInitialisedAt(T0);
        assertTrue(s.hosts().isEmpty());
        assertFalse(s.initialised());
        assertTrue(more.initialised());
        assertEquals(Set.of("h1"), more.hosts().keySet());
        CloudState less = more.withoutPod("web").withoutHost("h1");
        assertEquals(Set.of("web"), more.pods().keySet());
        assertTrue(less.pods().isEmpty() && less.hosts().isEmpty());
        assertEquals(T0, less.initialisedAt());
    }

    @Test
    void theStateCopiesTheMapsItIsGivenAndCannotBeChanged() {
        Map<String, Host> hosts = new HashMap<>();
        hosts.put("h1", host("h1", 1, 512));
        CloudState s = new CloudState(Map.of(), null, hosts);
        hosts.put("h2", host("h2", 1, 512));
        assertEquals(Set.of("h1"), s.hosts().keySet());
        assertThrows(UnsupportedOperationException.class, () -> s.hosts().remove("h1"));
        assertThrows(UnsupportedOperationException.class, () -> s.pods().clear());
    }

    @Test
    void podsAndHostsAreKeptInNameOrder() {
        CloudState s = given(pod("zulu"), pod("alpha"), pod("mike"))
                .withHost(host("h9", 1, 1)).withHost(host("h1", 1, 1)).withHost(host("h5", 1, 1));
        assertEquals(List.of("alpha", "mike", "zulu"), List.copyOf(s.pods().keySet()));
        assertEquals(List.of("h1", "h5", "h9"), List.copyOf(s.hosts().keySet()));
    }

    @Test
    void nodeLookupSpansEveryPod() {
        CloudState s = given(pod("a"), pod("b"), register("a", "x"), register("b", "y"));
        assertEquals("b", s.node("y").orElseThrow().pod());
        assertEquals("a", s.node("x").orElseThrow().pod());
        assertTrue(s.node("z").isEmpty());
    }

    @Test
    void requirePodOfAnUnknownNameIsANotFoundRejection() {
        CloudState s = given(pod("web"));
        Pod web = s.requirePod("web");
        assertEquals("web", web.name());
        Rejection r = assertThrows(Rejection.class, () -> s.requirePod("nope"));
        assertEquals(404, r.status());
        assertEquals("pod", r.field());
        assertEquals("no pod named 'nope'", r.getMessage());
    }

    @Test
    void rejectionsCarryStatusAndField() {
        Rejection bad = Rejection.badField("cpu", "too big");
        assertEquals(400, bad.status());
        assertEquals("cpu", bad.field());
        assertEquals("cpu: too big", bad.getMessage());
        assertEquals(409, Rejection.conflict("taken").status());
        assertNull(Rejection.conflict("taken").field());
        assertEquals(404, Rejection.of(cms.core.model.Refusal.unknownHost("h9")).status());
        assertEquals("host", Rejection.of(cms.core.model.Refusal.unknownHost("h9")).field());
        assertEquals(0, bad.getStackTrace().length, "a rejection is an answer, not an error: no stack trace");
    }
}
