package cms.core.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.ManagementFactory;

/**
 * Two of Micrometer's JVM meters whose names Prometheus's own linter ({@code promtool check metrics}) refuses, put
 * right: {@code system.cpu.count} (a gauge whose name ends in {@code _count}, the suffix of histograms) is served as
 * {@code system_cpu_cores}; {@code process.cpu.time} (in nanoseconds, an abbreviated unit) as
 * {@code process_cpu_seconds_total}, the name Prometheus's own clients give the process's CPU time.
 */
final class PrometheusNames {

    static final MeterFilter FILTER = new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
            return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.cores") : id;
        }

        @Override
        public io.micrometer.core.instrument.config.MeterFilterReply accept(Meter.Id id) {
            return id.getName().equals("process.cpu.time")
                    ? io.micrometer.core.instrument.config.MeterFilterReply.DENY
                    : io.micrometer.core.instrument.config.MeterFilterReply.NEUTRAL;
        }
    };

    private PrometheusNames() {
    }

    /**
     * The time the JIT compilers spent compiling, in seconds, where the JVM tells it: Micrometer's own binder serves it
     * in milliseconds ({@code jvm_compilation_time_ms_total}, an abbreviated unit promtool refuses). A JVM still
     * compiling much of its time runs slower than it will: {@code cms bench jobs} warms up until it settles.
     */
    static void bindCompilation(MeterRegistry registry) {
        var jit = ManagementFactory.getCompilationMXBean();
        if (jit != null && jit.isCompilationTimeMonitoringSupported()) {
            FunctionCounter.builder("jvm.compilation", jit, b -> b.getTotalCompilationTime() / 1e3).baseUnit("seconds")
                    .description("Time the JIT compilers spent compiling").register(registry);
        }
    }

    /** The process's CPU time in seconds, where the JVM tells it. */
    static void bindProcessCpu(MeterRegistry registry) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, b -> b.getProcessCpuTime() / 1e9).baseUnit("seconds")
                    .description("CPU time the process used").register(registry);
        }
    }
}
