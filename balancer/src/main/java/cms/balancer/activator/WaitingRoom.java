package cms.balancer.activator;

import cms.balancer.model.Member;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The requests held for pods that have no node in service, per pod, each waiting for the member it is to be
 * sent to. The balancer's loop releases them as soon as the pod has a serving node (spread over its serving
 * nodes in turn), or refuses them with a reason; a request that waited too long leaves by itself. At most
 * {@link #MAX_WAITING} requests wait in all, so a flood cannot take every thread. Safe to use from request
 * threads and the loop at once.
 */
public final class WaitingRoom {

    /** The most requests held at once, over all pods. */
    public static final int MAX_WAITING = 512;

    private final Map<String, List<CompletableFuture<Member>>> byPod = new HashMap<>();
    private final Set<String> fresh = new HashSet<>();
    private int total;

    /** A place in the pod's queue, or empty when {@link #MAX_WAITING} requests already wait. */
    public synchronized Optional<CompletableFuture<Member>> hold(String pod) {
        if (total >= MAX_WAITING) {
            return Optional.empty();
        }
        CompletableFuture<Member> ticket = new CompletableFuture<>();
        List<CompletableFuture<Member>> queue = byPod.computeIfAbsent(pod, p -> new ArrayList<>());
        if (queue.isEmpty()) {
            fresh.add(pod);
        }
        queue.add(ticket);
        total++;
        return Optional.of(ticket);
    }

    /** A request that stops waiting (its limit passed, its client left). */
    public synchronized void leave(String pod, CompletableFuture<Member> ticket) {
        List<CompletableFuture<Member>> queue = byPod.get(pod);
        if (queue != null && queue.remove(ticket)) {
            total--;
            if (queue.isEmpty()) {
                byPod.remove(pod);
            }
        }
    }

    /** Requests held for the pod now. */
    public synchronized int waiting(String pod) {
        List<CompletableFuture<Member>> queue = byPod.get(pod);
        return queue == null ? 0 : queue.size();
    }

    /** The pods that have requests waiting. */
    public synchronized Set<String> pods() {
        return Set.copyOf(byPod.keySet());
    }

    /** Whether some pod began to have requests waiting since the last call (to report it at once). */
    public synchronized boolean takeFresh() {
        boolean any = !fresh.isEmpty();
        fresh.clear();
        return any;
    }

    /** Sends every request waiting for the pod on, to its serving members in turn; none: they keep waiting. */
    public void release(String pod, List<Member> serving) {
        if (serving.isEmpty()) {
            return;
        }
        List<CompletableFuture<Member>> out = take(pod);
        for (int i = 0; i < out.size(); i++) {
            out.get(i).complete(serving.get(i % serving.size()));
        }
    }

    /** Answers every request waiting for the pod with {@code reason} instead of a node. */
    public void refuse(String pod, String reason) {
        take(pod).forEach(t -> t.completeExceptionally(new IllegalStateException(reason)));
    }

    private synchronized List<CompletableFuture<Member>> take(String pod) {
        List<CompletableFuture<Member>> queue = byPod.remove(pod);
        if (queue == null) {
            return List.of();
        }
        total -= queue.size();
        return queue;
    }
}
