package cms.rm.model;

import cms.core.event.AdminRequest;
import cms.core.model.Node;
import cms.core.model.Pod;
import cms.core.model.Refusal;
import cms.rm.model.Outcome.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The list replies, one page at a time, so that no reply record grows with the cloud: pods in name
 * order after {@code after}; nodes in the order the node list shows them (by pod name, then as
 * registered in the pod) after the node named {@code after}. A page holds at most {@code limit} items
 * and, for pods, stops early once its pods and their nodes pass {@link #ITEM_BUDGET} (a pod is as large
 * as its nodes); a page always holds at least one item. The reply's {@code next} is the {@code after} of
 * the next page; its message counts the whole list.
 */
public final class ListPages {

    /**
     * Pods plus their nodes on one page of the pod list: about 150-400 bytes each keeps a page near 100 KB. It was
     * 2 000 (280 KB with pods of 100 nodes), and that first page was the slowest admin request under load
     * ({@code cms bench scale}: p99 303 ms, where a 15 KB node list took 171 ms).
     */
    public static final int ITEM_BUDGET = 500;

    private ListPages() {
    }

    /** One page of the pods, in name order. */
    static Outcome pods(CloudState state, AdminRequest.ListPods r) {
        int limit = limit(r.limit());
        String after = after(r.after());
        List<Pod> rest = state.pods().values().stream().filter(p -> after == null || p.name().compareTo(after) > 0)
                .toList();
        return page(state, state.pods().size() + " pod(s)", rest, Pod::name, limit, p -> 1 + p.nodes().size());
    }

    /** One page of the nodes of one pod, or of every pod. */
    static Outcome nodes(CloudState state, AdminRequest.ListNodes r) {
        int limit = limit(r.limit());
        String after = after(r.after());
        List<Node> all = r.pod() == null
                ? state.pods().values().stream().flatMap(p -> p.nodes().stream()).toList()
                : state.requirePod(r.pod()).nodes();
        List<Node> rest = all;
        if (after != null) {
            int at = all.stream().map(Node::name).toList().indexOf(after);
            if (at < 0) {
                throw Rejection.of(Refusal.unlistedAfter("node", after));
            }
            rest = all.subList(at + 1, all.size());
        }
        return page(state, all.size() + " node(s)", rest, Node::name, limit, n -> 1);
    }

    private static <T> Outcome page(CloudState state, String message, List<T> rest, Function<T, String> name,
                                    int limit, ToIntFunction<T> weight) {
        List<T> page = new ArrayList<>();
        int items = 0;
        for (T item : rest) {
            int w = weight.applyAsInt(item);
            if (page.size() == limit || !page.isEmpty() && items + w > ITEM_BUDGET) {
                break;
            }
            page.add(item);
            items += w;
        }
        String next = page.size() < rest.size() ? name.apply(page.get(page.size() - 1)) : null;
        return Outcome.unchanged(state, new Reply(200, null, message, List.copyOf(page), next));
    }

    /** The page size asked for: none is the default; the most is one more than a client may ask for. */
    static int limit(Integer asked) {
        if (asked == null) {
            return AdminRequest.PAGE_DEFAULT;
        }
        if (asked < 1 || asked > AdminRequest.PAGE_MAX + 1) {
            throw Rejection.badField("limit", asked + " is not within 1.." + AdminRequest.PAGE_MAX);
        }
        return asked;
    }

    private static String after(String after) {
        return after == null ? null : PodRules.name("after", after);
    }
}
