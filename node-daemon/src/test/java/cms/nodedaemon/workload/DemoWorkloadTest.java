package cms.nodedaemon.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cms.core.model.Workload;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo workload's CPU cost per kind. Serving requests is not covered here: the server can only be
 * started from {@code main}, which reads the environment and may call {@code System.exit}.
 */
class DemoWorkloadTest {

    @Test
    void eachBuiltinKindHasItsCpuCost() {
        assertEquals(0, DemoWorkload.defaultCpuMillis("light"));
        assertEquals(50, DemoWorkload.defaultCpuMillis("medium"));
        assertEquals(500, DemoWorkload.defaultCpuMillis("heavy"));
    }

    @Test
    void everyBuiltinOfTheModelIsKnownToTheWorkload() {
        for (Workload.Builtin b : Workload.Builtin.values()) {
            DemoWorkload.defaultCpuMillis(b.word());
        }
    }

    @Test
    void anUnknownKindIsRejectedListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DemoWorkload.defaultCpuMillis("Heavy"));

        assertEquals("unknown workload kind 'Heavy': light, medium or heavy", e.getMessage());
    }

    @Test
    void aTakenPortFailsConstructionWithTheBindExceptionThatMainReportsAndExitsOn() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThrows(BindException.class, () -> new DemoWorkload("n1", "light", 0, "127.0.0.1",
                    taken.getLocalPort()));
        }
    }

    private static String failRequested(String body) {
        return DemoWorkload.failRequested(body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"fail\":\"disk full\"}|disk full",
        "{ \"n\": 1, \"fail\" :  \"too big\" }|too big",
        "{\"fail\":\"\"}|''",
        "{\"fail\":\"ünïcode ok\"}|ünïcode ok"})
    void aJobObjectWithAFailStringAsksToBeRefusedWithIt(String body, String why) {
        assertEquals(why, failRequested(body));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "{}", "{\"n\":1}", "{\"fail\":true}", "{\"fail\":null}",
        "[{\"fail\":\"x\"}]", "\"fail\":\"x\"", "{\"fail\":\"say \\\"no\\\"\"}",
        "{\"failure\":\"x\"}"})
    void anyOtherBodyIsAJobToDo(String body) {
        assertNull(failRequested(body), body);
    }

    @Test
    void theMessageIsAtMost200Characters() {
        assertEquals("m".repeat(200), failRequested("{\"fail\":\"" + "m".repeat(200) + "\"}"));
        assertNull(failRequested("{\"fail\":\"" + "m".repeat(201) + "\"}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"sleep_ms\":5000}|5000",
        "{ \"i\": 1, \"sleep_ms\" :  0 }|0",
        "{\"sleep_ms\":3600000}|3600000",
        "{\"sleep_ms\":3600001}|3600000",
        "{\"sleep_ms\":9999999999}|3600000",
        "{\"sleep_ms\":99999999999}|0",
        "{\"sleep_ms\":-5}|0",
        "{\"sleep_ms\":1.5}|0",
        "{\"sleep_ms\":\"100\"}|0",
        "[{\"sleep_ms\":100}]|0",
        "{\"i\":7}|0"})
    void aJobObjectWithSleepMsAsksToTakeThatLongAtMostAnHour(String body, long millis) {
        assertEquals(millis, DemoWorkload.sleepRequested(body.getBytes(StandardCharsets.UTF_8)), body);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"answer_bytes\":2000000}|2000000",
        "{\"answer_bytes\":99999999}|16777216",
        "{\"answer_bytes\":-1}|0",
        "{\"answer_bytes\":\"5\"}|0",
        "{\"i\":7}|0"})
    void aJobObjectWithAnswerBytesAsksForThatLargeAnAnswerAtMost16MiB(String body, int chars) {
        assertEquals(chars, DemoWorkload.paddingRequested(body.getBytes(StandardCharsets.UTF_8)), body);
    }
}
