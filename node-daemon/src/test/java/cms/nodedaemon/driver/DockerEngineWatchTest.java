package cms.nodedaemon.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.testing.MutableClock;
import cms.nodedaemon.model.Backoff;
import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The engine goes away and comes back; the watch tries it again with a back-off on the clock. */
class DockerEngineWatchTest {

    /** An engine that answers or not, and counts pings and subscriptions. */
    private static final class FakeEngine implements DockerEngineWatch.Engine {
        boolean answers = true;
        int pings;
        final List<Consumer<String>> streams = new ArrayList<>();
        int closedStreams;

        @Override
        public void ping() {
            pings++;
            if (!answers) {
                throw new RuntimeException(new java.net.SocketException("No such file or directory"));
            }
        }

        @Override
        public Closeable subscribe(Consumer<String> onEnd) {
            streams.add(onEnd);
            return () -> closedStreams++;
        }

        /** The latest stream ends by itself, as when the engine stops. */
        void endStream() {
            streams.get(streams.size() - 1).accept("its event stream ended");
        }
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T10:00:00Z"));
    private final FakeEngine engine = new FakeEngine();
    private int returns;
    private final DockerEngineWatch watch = new DockerEngineWatch(engine, "the Docker engine at unix:///x", clock,
            new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)), () -> returns++);

    @Test
    void anEndedEventStreamMakesTheEngineAwayAndTheFirstUseTriesItAtOnce() {
        watch.connect();
        assertTrue(watch.up());
        engine.answers = false;

        engine.endStream();

        assertFalse(watch.up());
        DriverUnavailableException e = assertThrows(DriverUnavailableException.class, watch::ensureUp);
        assertTrue(e.getMessage().startsWith("the Docker engine at unix:///x is not answering"), e.getMessage());
        assertEquals(2, engine.pings, "tried at once");
        assertEquals(0, returns);
    }

    @Test
    void whileAwayTheEngineIsTriedOnlyWhenTheBackoffAllowsDoublingUpToItsMost() {
        watch.connect();
        engine.answers = false;
        engine.endStream();
        List<Long> waits = new ArrayList<>();
        Instant lastTry = clock.instant();
        int pings = engine.pings;
        for (int step = 0; step < 200; step++) {
            assertThrows(DriverUnavailableException.class, watch::ensureUp);
            if (engine.pings > pings) {
                waits.add(Duration.between(lastTry, clock.instant()).toMillis());
                lastTry = clock.instant();
                pings = engine.pings;
            }
            clock.advance(Duration.ofMillis(100));
        }
        assertEquals(List.of(0L, 200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L, 2000L, 2000L, 2000L),
                waits.subList(0, 11));
    }

    @Test
    void whenTheEngineAnswersAgainTheStreamIsSubscribedAgainAndTheReturnIsToldOnce() {
        watch.connect();
        engine.answers = false;
        engine.endStream();
        assertThrows(DriverUnavailableException.class, watch::ensureUp);
        engine.answers = true;
        clock.advance(Duration.ofMillis(200));

        watch.ensureUp();
        watch.ensureUp();

        assertTrue(watch.up());
        assertEquals(1, returns);
        assertEquals(2, engine.streams.size(), "subscribed again");
        assertEquals(1, engine.closedStreams, "the dead stream was closed");
    }

    @Test
    void aCallThatCannotReachTheEngineMakesItAwayOnceForTheStreak() {
        watch.connect();

        watch.lost("connection refused");
        watch.lost("connection refused again");

        assertFalse(watch.up());
        DriverUnavailableException e = assertThrows(DriverUnavailableException.class, () -> {
            engine.answers = false;
            watch.ensureUp();
        });
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
    }

    @Test
    void aCallThatCannotReachTheEngineThrowsUnavailableAndMakesItAway() {
        watch.connect();

        DriverUnavailableException e = assertThrows(DriverUnavailableException.class, () -> watch.call(() -> {
            throw new RuntimeException(new java.net.SocketException("Connection refused"));
        }));

        assertTrue(e.getMessage().contains("cannot be reached: java.net.SocketException: Connection refused"),
                e.getMessage());
        assertFalse(watch.up());
    }

    @Test
    void anErrorTheEngineAnsweredWithIsTheCallersAndTheEngineStaysUp() {
        watch.connect();

        assertThrows(com.github.dockerjava.api.exception.NotFoundException.class, () -> watch.call(() -> {
            throw new com.github.dockerjava.api.exception.NotFoundException("No such container: c1");
        }));
        assertEquals("ok", watch.call(() -> "ok"));
        assertTrue(watch.up());
    }
}
