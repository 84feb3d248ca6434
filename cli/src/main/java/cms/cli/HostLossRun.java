package cms.cli;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.HostEvent;
import cms.core.kafka.CompactedTopicReader;
import cms.core.kafka.KafkaSettings;
import cms.core.model.NodeState;
import cms.core.topic.Topics;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One host loss on a {@link HostsCluster}, measured: a fresh light pod of {@code nodes} nodes spread over the
 * hosts, {@value #RATE} client GETs a second through its HAProxy frontend, then every process of host
 * {@code victim} (its daemon and its nodes) SIGKILLed at once, as when a machine dies. Times from the kill:
 * the resource manager's {@code HostLost} on {@code host-events} (its own time), the host shown LOST by the API,
 * the resource manager's pod snapshot with the victim's nodes ONLINE again on other hosts, and the first answer
 * through the frontend from each of them (the client's own clock). Afterwards the victim's daemon starts again
 * and joins, and the pod is removed, until every host runs its daemon alone: the next run starts as this one did.
 */
final class HostLossRun {

    static final int RATE = 20;
    private static final Duration POLL = Duration.ofMillis(100);

    /** One run's figures, in seconds from the kill; requests and failed through the frontend during the run. */
    record Result(String victim, List<String> moved, int killed, double lost, double lostSeen, double online,
                  double serving, long requests, long failed, Map<String, Long> failures) {
    }

    private HostLossRun() {
    }

    static Result measure(HostsCluster c, String pod, String victim, int nodes, Duration liveness) throws Exception {
        int port = BenchCommand.DevProcess.freePort();
        Map<String, String> placed = c.spread(pod, port, nodes);
        List<String> moved = placed.entrySet().stream().filter(e -> e.getValue().equals(victim))
                .map(Map.Entry::getKey).sorted().toList();
        if (moved.isEmpty()) {
            throw new IllegalStateException("no node of " + pod + " on " + victim + ": " + placed);
        }
        Duration within = liveness.plusSeconds(60);
        LoadGen clients = LoadGen.atRate(URI.create(c.frontend(port) + "/"), RATE);
        long t0;
        Instant killedAt;
        int killed;
        double lostSeen;
        double serving;
        try {
            Poll.until(() -> "40 answers through the frontend of " + pod + ": " + clients.ok.get() + ", failed "
                    + clients.failures + "\n" + c.logs(), Duration.ofSeconds(60), POLL, () -> clients.ok.get() >= 40);
            t0 = System.nanoTime();
            killedAt = Instant.now();
            killed = c.hosts.kill(victim);
            clients.mark(); // the killed nodes answer no more: a later answer from one of their names is its replacement
            long[] seen = {0};
            boolean done = Poll.within(within, POLL, () -> {
                if (seen[0] == 0 && c.hostsLost().getOrDefault(victim, false)) {
                    seen[0] = System.nanoTime();
                }
                return seen[0] != 0 && moved.stream().allMatch(n -> clients.firstAnswerSinceMark(n) != null);
            });
            if (!done) {
                throw new IllegalStateException("not within " + within.toSeconds() + " s of killing " + victim
                        + ": LOST on the API " + (seen[0] != 0) + ", each of " + moved + " serving again (served by "
                        + clients.servedBy.keySet() + " in all, failed " + clients.failures + "); " + c.logs());
            }
            lostSeen = (seen[0] - t0) / 1e9;
            serving = (moved.stream().mapToLong(clients::firstAnswerSinceMark).max().orElseThrow() - t0) / 1e9;
            long okBefore = clients.ok.get();
            Poll.until(() -> "40 more answers through the frontend: " + (clients.ok.get() - okBefore) + ", failed "
                    + clients.failures, Duration.ofSeconds(30), POLL, () -> clients.ok.get() >= okBefore + 40);
        } finally {
            clients.close();
        }
        Instant lostAt = hostLost(c, victim, killedAt);
        Instant onlineAt = replaced(c, pod, Set.copyOf(moved), victim, killedAt);
        Map<String, Long> failures = clients.failures.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum()));
        Result r = new Result(victim, moved, killed, seconds(killedAt, lostAt), lostSeen, seconds(killedAt, onlineAt),
                serving, clients.ok.get() + clients.failed(), clients.failed(), failures);
        rejoin(c, pod, victim);
        return r;
    }

    /** The resource manager's time of its {@code HostLost} about {@code host} after {@code since}. */
    private static Instant hostLost(HostsCluster c, String host, Instant since) {
        EventCodec codec = new EventCodec();
        List<Instant> lost = new ArrayList<>();
        CompactedTopicReader.readAll(new KafkaSettings(c.bootstrap), "bench-host-events", Topics.HOST_EVENTS,
                Duration.ofSeconds(60), r -> {
                    if (!host.equals(r.key()) || r.value() == null) {
                        return;
                    }
                    try {
                        if (codec.decode(r.value(), HostEvent.class) instanceof HostEvent.HostLost l
                                && !l.at().isBefore(since)) {
                            lost.add(l.at());
                        }
                    } catch (UndecodableRecordException e) {
                        throw new IllegalStateException("unreadable host-events record: " + e.getMessage());
                    }
                });
        return lost.stream().min(Instant::compareTo)
                .orElseThrow(() -> new IllegalStateException("no HostLost about " + host + " on host-events"));
    }

    /** The resource manager's time of the first snapshot of the pod with every moved node ONLINE elsewhere. */
    private static Instant replaced(HostsCluster c, String pod, Set<String> moved, String victim, Instant since) {
        Optional<Instant> at = c.podHistory(pod).stream().filter(s -> !s.at().isBefore(since)
                && s.pod().nodes().stream().filter(n -> moved.contains(n.name())
                        && n.state() == NodeState.ONLINE && !victim.equals(n.hostId())).count() == moved.size())
                .map(HostsCluster.Snapshot::at).findFirst();
        return at.orElseThrow(() -> new IllegalStateException("no snapshot of " + pod + " with " + moved
                + " ONLINE on other hosts than " + victim));
    }

    /** The victim's daemon started again and READY, the pod removed, every host running its daemon alone. */
    private static void rejoin(HostsCluster c, String pod, String victim) {
        c.hosts.startDaemon(victim, c.dir, c.bootstrap, HostsCluster.HOST_CAPACITY);
        Poll.until(victim + " READY again", Duration.ofSeconds(60), POLL,
                () -> Boolean.FALSE.equals(c.hostsLost().get(victim)));
        JsonHttp.Response r = c.admin("DELETE", "/api/pods/" + pod + "?force=true", null);
        if (r.status() >= 300) {
            throw new IllegalStateException("pod " + pod + " not removed: " + r);
        }
        if (c.hosts.usesNamespaces()) {
            Poll.until("only the daemon running on each host", Duration.ofSeconds(60), POLL,
                    () -> c.hosts.hosts().stream().allMatch(h -> c.hosts.processes(h.id()) == 1));
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
