package cms.cli;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.Event;
import cms.core.event.HostEvent;
import cms.core.event.Ids;
import cms.core.event.NodeCommand;
import cms.core.event.NodeEvent;
import cms.core.kafka.EventPublisher;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

/**
 * Many node daemons simulated in one process for {@code cms bench scale}: each host joins and sends a
 * {@link HostEvent.HostHeartbeat} at the daemons' interval (spread over it, as independent machines would), and
 * answers the resource manager's commands for it as {@code node-daemon} does, with the same records and codec:
 * a {@code LaunchNode} gets {@code NodeStarting} at once and {@code NodeOnline} with the host's address and a
 * port {@code onlineAfter} later (its health check), a {@code StopNode} gets {@code NodeStopped}. One producer
 * and one consumer of {@code commands} stand in for the thousand of real daemons (each of which reads every
 * command and keeps those keyed by its host). A host can die: it stops heartbeating and answering at once.
 * It also watches {@code host-events} for the resource manager's {@code HostLost}.
 */
final class FakeHosts implements AutoCloseable {

    static final double CPUS = 8;
    static final long MEMORY_MB = 32 * 1024;
    private static final long TICK_MS = 10;

    private final EventCodec codec = new EventCodec();
    private final Clock clock = Clock.systemUTC();
    private final KafkaSettings kafka;
    private final List<String> hosts = new ArrayList<>();
    private final Set<String> known = new java.util.HashSet<>();
    private final Duration heartbeat;
    private final Duration onlineAfter;
    private final KafkaProducer<String, byte[]> producer;
    private final EventPublisher publisher;
    private final Set<String> dead = ConcurrentHashMap.newKeySet();
    /** Node name to the host that reported it ONLINE last (removed when it stops there). */
    private final Map<String, String> online = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> nodesOf = new ConcurrentHashMap<>();
    private final Map<String, Instant> lostAt = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> commandsBySecond = new ConcurrentHashMap<>();
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicInteger ports = new AtomicInteger(20_000);
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "scale-fake-hosts");
        t.setDaemon(true);
        return t;
    });
    private final List<Thread> readers = new ArrayList<>();
    private long tick;

    FakeHosts(String bootstrap, int count, Duration heartbeat, Duration onlineAfter) {
        this.kafka = new KafkaSettings(bootstrap);
        this.heartbeat = heartbeat;
        this.onlineAfter = onlineAfter;
        for (int i = 1; i <= count; i++) {
            hosts.add(String.format("h%04d", i));
        }
        known.addAll(hosts);
        this.producer = new KafkaProducer<>(kafka.producer("scale-fake-hosts", null));
        this.publisher = new EventPublisher(producer, codec);
    }

    /** Starts reading commands and host events (from their ends), then joins every host and starts heartbeats. */
    FakeHosts start() {
        readers.add(reader(Topics.COMMANDS, this::command));
        readers.add(reader(Topics.HOST_EVENTS, this::hostEvent));
        Instant now = clock.instant();
        for (String h : hosts) {
            send(Topics.HOST_EVENTS, new HostEvent.HostJoined(Ids.next(), 1, now, h, address(h), CPUS, MEMORY_MB));
        }
        timers.scheduleAtFixedRate(this::beat, 0, TICK_MS, TimeUnit.MILLISECONDS);
        return this;
    }

    List<String> hosts() {
        return List.copyOf(hosts);
    }

    static String address(String host) {
        int i = Integer.parseInt(host.substring(1));
        return "10.1." + (i / 250) + "." + (i % 250 + 1);
    }

    /** The hosts whose slot in the heartbeat interval is this tick's: every host once an interval. */
    private void beat() {
        long slots = Math.max(1, heartbeat.toMillis() / TICK_MS);
        long slot = tick++ % slots;
        Instant now = clock.instant();
        for (int i = 0; i < hosts.size(); i++) {
            String h = hosts.get(i);
            if (i % slots == slot && !dead.contains(h)) {
                int running = nodesOf.getOrDefault(h, Set.of()).size();
                send(Topics.HOST_EVENTS, new HostEvent.HostHeartbeat(Ids.next(), 1, now, h, address(h), CPUS, MEMORY_MB,
                        Math.min(CPUS, running * 0.05), running * 50L));
                heartbeats.incrementAndGet();
            }
        }
    }

    private interface RecordHandler {
        void handle(ConsumerRecord<String, byte[]> r) throws UndecodableRecordException;
    }

    private Thread reader(Topics topic, RecordHandler handler) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer("scale-" + topic.topicName(), null));
        List<TopicPartition> partitions = consumer.partitionsFor(topic.topicName()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, before anything is sent
        Thread t = new Thread(() -> {
            try (consumer) {
                while (open.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        try {
                            handler.handle(r);
                        } catch (UndecodableRecordException e) {
                            System.err.println("scale: unreadable record on " + r.topic() + ": " + e.getMessage());
                        }
                    }
                }
            }
        }, "scale-" + topic.topicName());
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void command(ConsumerRecord<String, byte[]> r) throws UndecodableRecordException {
        NodeCommand c = codec.decode(r.value(), NodeCommand.class);
        commands.incrementAndGet();
        commandsBySecond.computeIfAbsent(System.currentTimeMillis() / 1000, s -> new AtomicInteger()).incrementAndGet();
        String h = c.hostId();
        if (dead.contains(h) || !known.contains(h)) {
            return;
        }
        Instant now = clock.instant();
        if (c instanceof NodeCommand.LaunchNode launch) {
            nodesOf.computeIfAbsent(h, k -> ConcurrentHashMap.newKeySet()).add(launch.node());
            send(Topics.NODE_EVENTS, new NodeEvent.NodeStarting(Ids.next(), 1, now, launch.node(), launch.pod(), h));
            int port = ports.incrementAndGet();
            timers.schedule(() -> {
                if (!dead.contains(h) && nodesOf.get(h).contains(launch.node())) {
                    send(Topics.NODE_EVENTS, new NodeEvent.NodeOnline(Ids.next(), 1, clock.instant(), launch.node(),
                            launch.pod(), h, address(h), port));
                    online.put(launch.node(), h);
                }
            }, onlineAfter.toMillis(), TimeUnit.MILLISECONDS);
        } else if (c instanceof NodeCommand.StopNode stop) {
            nodesOf.getOrDefault(h, Set.of()).remove(stop.node());
            online.remove(stop.node(), h);
            send(Topics.NODE_EVENTS, new NodeEvent.NodeStopped(Ids.next(), 1, now, stop.node(), stop.pod(), h));
        }
    }

    private void hostEvent(ConsumerRecord<String, byte[]> r) throws UndecodableRecordException {
        if (new String(r.value(), 0, Math.min(r.value().length, 40), java.nio.charset.StandardCharsets.UTF_8)
                .contains("HostLost")) {
            HostEvent e = codec.decode(r.value(), HostEvent.class);
            lostAt.put(e.hostId(), clock.instant());
        }
    }

    private void send(Topics topic, Event event) {
        try {
            publisher.publish(topic, event);
        } catch (RuntimeException e) {
            sendFailures.incrementAndGet();
        }
    }

    /** The host stops at once, as a machine that dies: no heartbeat, no answer, no goodbye. */
    void kill(String host) {
        dead.add(host);
    }

    /** The nodes the host runs (launched and not stopped there). */
    Set<String> nodesOn(String host) {
        return Set.copyOf(nodesOf.getOrDefault(host, Set.of()));
    }

    /** Nodes reported ONLINE and running now, with their host. */
    Map<String, String> online() {
        Map<String, String> out = new java.util.HashMap<>(online);
        out.values().removeIf(dead::contains);
        return out;
    }

    /** Whether the resource manager declared the host lost since {@code since} (a host slow to beat may be lost before). */
    boolean lostSince(String host, Instant since) {
        Instant at = lostAt.get(host);
        return at != null && !at.isBefore(since);
    }

    long commands() {
        return commands.get();
    }

    long heartbeats() {
        return heartbeats.get();
    }

    long sendFailures() {
        return sendFailures.get();
    }

    /** The most commands received in one second of the wall clock. */
    int peakCommandsPerSecond() {
        return commandsBySecond.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
    }

    @Override
    public void close() throws InterruptedException {
        open.set(false);
        timers.shutdownNow();
        for (Thread t : readers) {
            t.join(5_000);
        }
        producer.close(Duration.ofSeconds(5));
    }
}
