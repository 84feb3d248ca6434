package cms.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A job's time limit as the resource manager sends it and a balancer reads it. */
class JobTimeLimitTest {

    @ParameterizedTest
    @CsvSource({"PT1H,3600", "PT5S,5", "PT0.1S,1", "PT0S,1", "PT4.001S,5", "PT1M,60"})
    void theHeaderCarriesWholeSecondsRoundedUpAndAtLeastOne(Duration limit, String value) {
        assertEquals(value, JobTimeLimit.headerValue(limit));
    }

    @ParameterizedTest
    @CsvSource({"1,PT1S", "5,PT5S", " 90 ,PT1M30S", "3600,PT1H", "3601,PT1H", "999999999999999999,PT1H"})
    void aPositiveWholeNumberIsTheLimitCappedAtTheApisMaximum(String header, Duration limit) {
        assertEquals(Optional.of(limit), JobTimeLimit.requested(header));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "0", "-5", "5s", "1.5", "abc", "1e3", "9999999999999999999", "+5"})
    void anythingElseLeavesTheOrdinaryTimeout(String header) {
        assertEquals(Optional.empty(), JobTimeLimit.requested(header));
    }
}
