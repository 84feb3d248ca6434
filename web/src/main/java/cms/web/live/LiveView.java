package cms.web.live;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.kafka.LoopControl;
import cms.core.kafka.TopicCreator;
import cms.web.model.Kind;
import cms.web.model.LiveEvent;
import cms.web.model.LiveState;
import cms.web.model.StreamCursor;
import cms.web.model.StreamFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web service's live view: one thread reads every partition of {@code pods} (from the beginning) and
 * of {@code node-events}, {@code metrics}, {@code scaling}, {@code job-events} and {@code host-events}
 * (from the start of the window, found with offsetsForTimes), without a consumer group, folds each record
 * into the {@link LiveState} and hands it to the open streams. Readers take the same lock.
 */
public final class LiveView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);

    private final LiveConfig config;
    private final Clock clock;
    private final LiveRecords records;
    private final LiveState state;
    private final StreamHub hub;
    private final LoopControl control = new LoopControl();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread = new Thread(this::run, "cms-web-live");

    public LiveView(LiveConfig config, EventCodec codec, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.records = new LiveRecords(codec);
        this.state = new LiveState(Long.toString(clock.millis(), 36), config.window().toMillis(), config.logMax());
        this.hub = new StreamHub(config.clientQueue());
    }

    public LiveView start() {
        TopicCreator.ensureAll(config.kafka());
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Whether the view has read every topic up to where it was when it started. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public LiveConfig config() {
        return config;
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config.kafka().consumer("cms-web-live", null))) {
            control.attach(c);
            Map<TopicPartition, Long> end = seekToWindow(c);
            Instant nextPrune = clock.instant();
            while (control.running()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    apply(r);
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> c.position(e.getKey())
                        >= e.getValue())) {
                    LOG.info("live view: read the window, {} events kept", read(LiveState::logSize));
                    caughtUp.countDown();
                }
                Instant now = clock.instant();
                if (!now.isBefore(nextPrune)) {
                    synchronized (state) {
                        state.prune(now);
                    }
                    nextPrune = now.plusSeconds(1);
                }
            }
        } catch (WakeupException e) {
            if (control.running()) {
                LOG.error("live view woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("live view stopped: {}", e.toString(), e);
        } finally {
            hub.endAll();
            control.ended();
        }
    }

    /** Assigns every partition; returns the end offsets as of now, to know when the window has been read. */
    private Map<TopicPartition, Long> seekToWindow(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> all = new ArrayList<>();
        List<TopicPartition> pods = new ArrayList<>();
        Map<TopicPartition, Long> from = new HashMap<>();
        long start = clock.millis() - config.window().toMillis();
        for (Kind kind : Kind.values()) {
            for (var p : c.partitionsFor(kind.topic().topicName(), Duration.ofSeconds(30))) {
                TopicPartition tp = new TopicPartition(p.topic(), p.partition());
                all.add(tp);
                if (kind == Kind.PODS) {
                    pods.add(tp);
                } else {
                    from.put(tp, start);
                }
            }
        }
        c.assign(all);
        c.seekToBeginning(pods);
        for (Map.Entry<TopicPartition, OffsetAndTimestamp> e : c.offsetsForTimes(from, Duration.ofSeconds(30))
                .entrySet()) {
            if (e.getValue() == null) {
                c.seekToEnd(List.of(e.getKey()));
            } else {
                c.seek(e.getKey(), e.getValue().offset());
            }
        }
        return c.endOffsets(all, Duration.ofSeconds(30));
    }

    void apply(ConsumerRecord<String, byte[]> r) {
        LiveRecords.Decoded d;
        try {
            d = records.decode(r);
        } catch (UndecodableRecordException e) {
            LOG.debug("topic={} offset={} not shown: {}", r.topic(), r.offset(), e.getMessage());
            return;
        }
        synchronized (state) {
            LiveEvent e = state.apply(d.kind(), d.event(), r.timestamp(), d.json());
            hub.publish(e);
        }
    }

    /** A stream client from {@code cursor} on: what it missed and the live events after, with nothing between. */
    Subscriber subscribe(StreamFilter filter, StreamCursor cursor) {
        synchronized (state) {
            return hub.subscribe(filter, state.replay(cursor, filter));
        }
    }

    void unsubscribe(Subscriber s) {
        hub.remove(s);
    }

    int streams() {
        return hub.size();
    }

    /** Reads the state under the view's lock; the result must not keep references into it. */
    public <T> T read(Function<LiveState, T> reader) {
        synchronized (state) {
            return reader.apply(state);
        }
    }

    public Instant now() {
        return clock.instant();
    }

    /** Ends every open stream (clients reconnect elsewhere or later). */
    void endStreams() {
        hub.endAll();
    }

    @Override
    public void close() {
        hub.endAll();
        control.stop(Duration.ofSeconds(10));
    }
}
