package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.accepted;
import static cms.rm.model.CloudFixtures.given;
import static cms.rm.model.CloudFixtures.id;
import static cms.rm.model.CloudFixtures.limits;
import static cms.rm.model.CloudFixtures.pod;
import static cms.rm.model.CloudFixtures.refused;
import static cms.rm.model.CloudFixtures.register;
import static cms.rm.model.CloudFixtures.removeNode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.AdminRequest;
import cms.core.model.Node;
import cms.core.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Paged list replies: every item once, in the list's order, no page over its limit or item budget. */
class ListPagesTest {

    private static CloudState pods(int n) {
        CloudState s = CloudState.empty();
        for (int i = 0; i < n; i++) {
            s = given(s, pod(String.format("p%04d", i)));
        }
        return s;
    }

    private static AdminRequest.ListPods listPods(Integer limit, String after) {
        return new AdminRequest.ListPods(id(), 1, T0, limit, after);
    }

    private static AdminRequest.ListNodes listNodes(String pod, Integer limit, String after) {
        return new AdminRequest.ListNodes(id(), 1, T0, pod, limit, after);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> body(Outcome o) {
        return (List<T>) o.reply().body();
    }

    /** Follows {@code next} from the first page; returns every page's names. */
    private static <T> List<List<String>> follow(CloudState s, Function<String, AdminRequest> page,
                                                 Function<T, String> name) {
        List<List<String>> pages = new ArrayList<>();
        String after = null;
        do {
            Outcome o = accepted(s, page.apply(after));
            assertSame(s, o.state());
            List<T> items = body(o);
            pages.add(items.stream().map(name).toList());
            after = o.reply().next();
            if (after != null) {
                assertEquals(name.apply(items.get(items.size() - 1)), after, "next is the last item of the page");
            }
        } while (after != null && pages.size() < 1000);
        return pages;
    }

    @Test
    void withoutALimitAPageHoldsTheDefaultAndSaysWhereTheNextStarts() {
        CloudState s = pods(250);
        Outcome first = accepted(s, new AdminRequest.ListPods(id(), 1, T0));
        assertEquals(AdminRequest.PAGE_DEFAULT, body(first).size());
        assertEquals("p0099", first.reply().next());
        assertTrue(first.reply().message().startsWith("250 pod(s)"), "the message counts the whole list");
    }

    @Test
    void followingNextListsEveryPodOnceInNameOrder() {
        CloudState s = pods(250);
        List<List<String>> pages = follow(s, after -> listPods(100, after), Pod::name);
        assertEquals(List.of(100, 100, 50), pages.stream().map(List::size).toList());
        List<String> all = pages.stream().flatMap(List::stream).toList();
        assertEquals(s.pods().keySet().stream().toList(), all);
    }

    @Test
    void aListThatFitsHasNoNext() {
        CloudState s = pods(3);
        Outcome o = accepted(s, listPods(3, null));
        assertEquals(3, body(o).size());
        assertNull(o.reply().next());
        Outcome last = accepted(s, listPods(10, "p0002"));
        assertEquals(List.of(), body(last));
        assertNull(last.reply().next());
    }

    @Test
    void afterAPodThatIsGoneStartsAtTheNextName() {
        CloudState s = pods(5);
        Outcome o = accepted(s, listPods(2, "p0001a"));
        assertEquals(List.of("p0002", "p0003"), body(o).stream().map(p -> ((Pod) p).name()).toList());
    }

    @Test
    void podsWithManyNodesMakeShorterPagesButEveryPageHoldsOne() {
        CloudState s = CloudState.empty();
        for (String name : List.of("big1", "big2", "big3", "small")) {
            s = given(s, limits(name, null, null, 1000));
        }
        for (int i = 0; i < 200; i++) {
            s = given(s, register("big1", "a" + i), register("big2", "b" + i), register("big3", "c" + i));
        }
        List<List<String>> pages = follow(s, after -> listPods(AdminRequest.PAGE_MAX, after), Pod::name);
        assertEquals(List.of(List.of("big1", "big2"), List.of("big3", "small")), pages,
                "201 + 201 items fit the budget of " + ListPages.ITEM_BUDGET + ", a third big pod does not");
    }

    @Test
    void nodesPageInTheOrderTheListShowsThem() {
        CloudState s = given(pod("a"), pod("b"), register("b", "b1"), register("a", "a2"), register("a", "a1"),
                register("b", "b0"));
        assertEquals(List.of(List.of("a2", "a1"), List.of("b1", "b0")),
                follow(s, after -> listNodes(null, 2, after), Node::name));
        assertEquals(List.of(List.of("a2"), List.of("a1")), follow(s, after -> listNodes("a", 1, after), Node::name));
    }

    @Test
    void afterANodeThatIsGoneIsAConflictSayingToStartAgain() {
        CloudState s = given(pod("a"), register("a", "a1"), register("a", "a2"));
        CloudState without = given(s, removeNode("a", "a1"));
        Outcome o = refused(without, listNodes("a", 1, "a1"), 409, "after");
        assertTrue(o.reply().message().contains("list again from the start"), o.reply().message());
    }

    @Test
    void aBadLimitOrCursorIsA400NamingIt() {
        CloudState s = pods(2);
        refused(s, listPods(0, null), 400, "limit");
        refused(s, listPods(AdminRequest.PAGE_MAX + 2, null), 400, "limit");
        refused(s, listPods(null, " "), 400, "after");
        refused(s, listNodes(null, null, "Bad Name"), 400, "after");
        accepted(s, listPods(AdminRequest.PAGE_MAX + 1, null)); // one more than a client may ask: its look ahead
    }
}
