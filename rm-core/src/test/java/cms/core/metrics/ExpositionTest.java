package cms.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExpositionTest {

    private static final String TEXT = """
            # HELP jvm_compilation_seconds_total Time the JIT compilers spent compiling
            # TYPE jvm_compilation_seconds_total counter
            jvm_compilation_seconds_totally_other 7.0
            jvm_compilation_seconds_total 123.456
            cms_nodes{pod="a",state="ONLINE"} 3.0 1700000000000
            process_cpu_seconds_total 99.0
            """;

    @Test
    void aSeriesIsReadByItsWholeNameAndLabelsAndATimestampIsNotItsValue() {
        assertEquals(123.456, Exposition.value(TEXT, "jvm_compilation_seconds_total").orElseThrow(), 1e-9,
                "not the series whose name merely starts the same, nor a HELP or TYPE line");
        assertEquals(3.0, Exposition.value(TEXT, "cms_nodes{pod=\"a\",state=\"ONLINE\"}").orElseThrow(), 1e-9);
        assertTrue(Exposition.value(TEXT, "cms_nodes").isEmpty(), "a series with labels is not the bare name");
        assertTrue(Exposition.value(TEXT, "jvm_gc_pause_seconds_count").isEmpty(), "none: empty");
    }
}
