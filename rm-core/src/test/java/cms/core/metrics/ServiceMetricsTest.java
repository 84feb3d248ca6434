package cms.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.config.ConfigException;
import cms.core.config.Settings;
import io.micrometer.core.instrument.Gauge;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServiceMetricsTest {

    @Test
    void aServiceHasTheJvmBasicsAndTheMetersItsTapRegisters() {
        try (ServiceMetrics metrics = ServiceMetrics.of(r -> {
            Gauge.builder("cms.test.things", () -> 3).register(r);
            return EventTap.NONE;
        })) {
            String text = metrics.scrape();
            for (String name : List.of("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads",
                    "process_cpu_usage", "process_cpu_seconds_total", "jvm_compilation_seconds_total",
                    "system_cpu_cores", "process_uptime_seconds", "cms_test_things 3.0")) {
                assertTrue(text.contains(name), name + " in\n" + text);
            }
            // the JIT of the JVM running this test has compiled something, and it is served in seconds (not ms)
            double jit = Exposition.value(text, "jvm_compilation_seconds_total").orElse(-1);
            double busy = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1e3;
            assertTrue(jit > 0 && jit <= busy, () -> "jvm_compilation_seconds_total " + jit + " (the JVM says " + busy
                    + " s so far) in\n" + text);
            // the two names promtool's linter refuses are served under names it takes
            assertFalse(text.contains("system_cpu_count"), text);
            assertFalse(text.contains("process_cpu_time_ns"), text);
        }
    }

    @Test
    void ofKafkaClientMetersOnlyTheConsumerLagIsKept() {
        try (ServiceMetrics metrics = ServiceMetrics.of(r -> EventTap.NONE)) {
            Gauge.builder(ServiceMetrics.KAFKA_LAG, () -> 7).tag("loop", "x").register(metrics.registry());
            Gauge.builder(ServiceMetrics.KAFKA_LAG + ".avg", () -> 7).tag("loop", "x").register(metrics.registry());
            Gauge.builder("kafka.consumer.fetch.manager.bytes.consumed.rate", () -> 1).register(metrics.registry());
            String text = metrics.scrape();
            assertTrue(text.contains("kafka_consumer_fetch_manager_records_lag{loop=\"x\"} 7.0"), text);
            assertFalse(text.contains("records_lag_avg"), text);
            assertFalse(text.contains("bytes_consumed"), text);
        }
    }

    @Test
    void scrapeRunsTheRefreshersFirst() {
        AtomicInteger runs = new AtomicInteger();
        try (ServiceMetrics metrics = ServiceMetrics.of(r -> EventTap.NONE)) {
            metrics.onScrape(runs::incrementAndGet);
            metrics.scrape();
            metrics.scrape();
            assertEquals(2, runs.get());
        }
    }

    @Test
    void theConfigReadsTheServicesPortAndTheSharedHost() {
        MetricsConfig config = MetricsConfig.from(new Settings(Map.of("CMS_METRICS_HOST", "0.0.0.0",
                "CMS_RM_METRICS_PORT", "0")), MetricsConfig.Service.RESOURCE_MANAGER);
        assertEquals(new MetricsConfig("0.0.0.0", 0), config);
        assertEquals(new MetricsConfig("127.0.0.1", 9473),
                MetricsConfig.from(new Settings(Map.of()), MetricsConfig.Service.ELASTICITY));
        ConfigException bad = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> MetricsConfig.from(new Settings(Map.of("CMS_NODE_METRICS_PORT", "70000")),
                        MetricsConfig.Service.NODE_DAEMON));
        assertTrue(bad.getMessage().startsWith("CMS_NODE_METRICS_PORT"), bad.getMessage());
    }
}
