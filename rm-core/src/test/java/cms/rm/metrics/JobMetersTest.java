package cms.rm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.JobEvent;
import cms.core.event.MetricSample;
import cms.core.topic.Topics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JobMetersTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final JobMeters meters = new JobMeters(registry);

    @Test
    void endedJobsAreCountedByStatusWithTheirTimeFromSubmission() {
        meters.published(Topics.JOB_EVENTS, new JobEvent.JobQueued("e1", 1, T0, "j1", "light"));
        meters.published(Topics.JOB_EVENTS, new JobEvent.JobRunning("e2", 1, T0.plusMillis(100), "j1", "light", null, 1));
        meters.published(Topics.JOB_EVENTS, new JobEvent.JobSucceeded("e3", 1, T0.plusMillis(1500), "j1", "light",
                "light-1", null, 1400));
        meters.published(Topics.JOB_EVENTS, new JobEvent.JobQueued("e4", 1, T0, "j2", "light"));
        meters.published(Topics.JOB_EVENTS, new JobEvent.JobFailed("e5", 1, T0.plusSeconds(20), "j2", "light", "timeout"));
        // a job queued before this resource manager started: counted, but its time is not known
        meters.published(Topics.JOB_EVENTS, new JobEvent.JobAborted("e6", 1, T0, "j0", "light", "by operator"));

        assertEquals(1.0, registry.get("cms.jobs.ended").tags("pod", "light", "status", "succeeded").counter().count());
        assertEquals(1.0, registry.get("cms.jobs.ended").tags("pod", "light", "status", "failed").counter().count());
        assertEquals(1.0, registry.get("cms.jobs.ended").tags("pod", "light", "status", "aborted").counter().count());
        Timer ok = registry.get("cms.job.duration").tags("pod", "light", "status", "succeeded").timer();
        assertEquals(1, ok.count());
        assertEquals(1.5, ok.totalTime(TimeUnit.MILLISECONDS) / 1000, 1e-9);
        CountAtBucket[] buckets = ok.takeSnapshot().histogramCounts();
        assertEquals(JobMeters.BUCKETS.length, buckets.length);
        assertEquals(20.0, registry.get("cms.job.duration").tags("status", "failed").timer().totalTime(TimeUnit.SECONDS));
        assertTrue(registry.find("cms.job.duration").tags("status", "aborted").timers().isEmpty());
    }

    @Test
    void aJobThatNamedNoPodIsCountedUnderNone() {
        meters.published(Topics.JOB_EVENTS, new JobEvent.JobFailed("e1", 1, T0, "kb-missing", null, "pod: missing"));
        assertEquals(1.0, registry.get("cms.jobs.ended").tags("pod", "none", "status", "failed").counter().count());
    }

    @Test
    void theQueueDepthAndRunningJobsComeFromTheResourceManagersSamplesAndGoWithThePod() {
        meters.published(Topics.METRICS, new MetricSample.PodSample("s1", 1, T0, "light", null, null, null, null, null,
                null, null, 7, null, MetricSample.PodSample.RESOURCE_MANAGER, 3));
        assertEquals(7.0, registry.get("cms.job.queue.depth").tag("pod", "light").gauge().value());
        assertEquals(3.0, registry.get("cms.jobs.running").tag("pod", "light").gauge().value());
        meters.published(Topics.JOB_EVENTS, new JobEvent.JobAborted("e6", 1, T0, "j0", "light", "by operator"));

        meters.removed(Topics.PODS, "light");
        assertTrue(registry.find("cms.job.queue.depth").gauges().isEmpty());
        assertTrue(registry.find("cms.jobs.running").gauges().isEmpty());
        assertTrue(registry.find("cms.jobs.ended").counters().isEmpty());
    }
}
