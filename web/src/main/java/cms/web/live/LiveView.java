package cms.web.live;

import cms.core.codec.EventCodec;
import cms.core.metrics.ServiceMetrics;
import cms.core.kafka.ConsumerLoop;
import cms.core.kafka.Liveness;
import cms.core.kafka.LoopHandler;
import cms.core.kafka.LoopHealth;
import cms.core.kafka.LoopSession;
import cms.core.kafka.Subscription;
import cms.core.kafka.TopicCreator;
import cms.core.topic.Topics;
import cms.web.ApiJson;
import cms.web.model.Kind;
import cms.web.model.LiveEvent;
import cms.web.model.LiveState;
import cms.web.model.StreamCursor;
import cms.web.model.StreamFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web service's live view: its {@link ConsumerLoop} reads every partition of {@code pods} (from the
 * beginning) and of {@code node-events}, {@code metrics}, {@code scaling}, {@code job-events} and
 * {@code host-events} (from the start of the window, found with offsetsForTimes), without a consumer
 * group, folds each record into the {@link LiveState} and hands it to the open streams. Readers take the
 * same lock. A record it cannot read goes to dead-letter; after a Kafka fault the loop opens new clients
 * and the view is read again into a new state (a new boot id), and the open streams are ended so that
 * their clients resume from it as they would from a restarted web service.
 */
public final class LiveView implements AutoCloseable, LoopHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);
    public static final String LOOP = "cms-web-live";

    private final LiveConfig config;
    private final Clock clock;
    private final LiveRecords records;
    private final StreamHub hub;
    private final ConsumerLoop loop;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private LiveState state;
    private int opened;
    /** Where each partition ended when this session first turned; null once read up to there. */
    private Map<TopicPartition, Long> end;
    private Instant nextPrune;

    public LiveView(LiveConfig config, EventCodec codec, Clock clock) {
        this(config, codec, clock, null, reason -> { });
    }

    /** {@code liveness} (may be null) gets the loop's health; {@code onFatal} is told when it cannot go on. */
    public LiveView(LiveConfig config, EventCodec codec, Clock clock, Liveness liveness,
                    java.util.function.Consumer<String> onFatal) {
        this(config, codec, clock, liveness, onFatal, ServiceMetrics.none());
    }

    /** {@code metrics}: the web service's meters, which get this reader's consumer lag. */
    public LiveView(LiveConfig config, EventCodec codec, Clock clock, Liveness liveness,
                    java.util.function.Consumer<String> onFatal, ServiceMetrics metrics) {
        this.config = config;
        this.clock = clock;
        this.records = new LiveRecords(codec, new ApiJson(codec));
        this.state = newState(0);
        this.hub = new StreamHub(config.clientQueue());
        List<Topics> windowed = Arrays.stream(Kind.values()).filter(k -> k != Kind.PODS).map(Kind::topic).toList();
        this.loop = ConsumerLoop.builder(LOOP)
                .consumer(() -> new KafkaConsumer<>(config.kafka().consumer(LOOP, null)))
                .producer(() -> new KafkaProducer<>(config.kafka().producer(LOOP, null)), false)
                .subscription(new Subscription.Assigned(List.of(Topics.PODS), List.of(), windowed, config.window()))
                .handler(this).codec(codec).clock(clock).liveness(liveness).onFatal(onFatal).metrics(metrics).build();
    }

    private LiveState newState(int generation) {
        String boot = Long.toString(clock.millis(), 36) + (generation == 0 ? "" : "-" + generation);
        return new LiveState(boot, config.window().toMillis(), config.logMax());
    }

    public LiveView start() {
        TopicCreator.ensureAll(config.kafka());
        loop.start();
        return this;
    }

    /** Whether the view has read every topic up to where it was when it started. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public LiveConfig config() {
        return config;
    }

    public LoopHealth health() {
        return loop.health();
    }

    /** New clients: the first time the view starts empty; after a fault it is read again into a new state. */
    @Override
    public void onOpen(LoopSession session) {
        end = null;
        if (opened++ > 0) {
            synchronized (lock) {
                state = newState(opened);
            }
            hub.endAll();
            LOG.info("live view: reading the window again after a fault (open streams ended, clients resume)");
        }
    }

    @Override
    public void onRecord(ConsumerRecord<String, byte[]> r, LoopSession session) throws Exception {
        apply(r);
    }

    @Override
    public void onTurn(Instant now, LoopSession session) {
        if (caughtUp.getCount() > 0) {
            checkCaughtUp(session.consumer());
        }
        if (nextPrune == null || !now.isBefore(nextPrune)) {
            synchronized (lock) {
                state.prune(now);
            }
            nextPrune = now.plusSeconds(1);
        }
    }

    private void checkCaughtUp(Consumer<String, byte[]> c) {
        if (end == null) {
            end = c.endOffsets(c.assignment());
        }
        if (end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
            LOG.info("live view: read the window, {} events kept", read(LiveState::logSize));
            caughtUp.countDown();
        }
    }

    /** Folds one record in; one that cannot be read throws (the loop sends it to dead-letter). */
    void apply(ConsumerRecord<String, byte[]> r) throws cms.core.codec.UndecodableRecordException {
        LiveRecords.Decoded d = records.decode(r);
        synchronized (lock) {
            LiveEvent e = state.apply(d.kind(), d.event(), r.timestamp(), d.json());
            hub.publish(e);
        }
    }

    /** A stream client from {@code cursor} on: what it missed and the live events after, with nothing between. */
    Subscriber subscribe(StreamFilter filter, StreamCursor cursor) {
        synchronized (lock) {
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
        synchronized (lock) {
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
        loop.close();
    }
}
