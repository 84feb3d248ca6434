package cms.nodedaemon.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));

    @Test
    void doublesFromTheFirstWaitUpToTheMost() {
        assertEquals(Duration.ofMillis(200), backoff.after(1));
        assertEquals(Duration.ofMillis(400), backoff.after(2));
        assertEquals(Duration.ofMillis(800), backoff.after(3));
        assertEquals(Duration.ofMillis(1600), backoff.after(4));
        assertEquals(Duration.ofSeconds(2), backoff.after(5));
        assertEquals(Duration.ofSeconds(2), backoff.after(1_000_000));
    }

    @Test
    void refusesAFirstWaitOfZeroOrAMostBelowIt() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
