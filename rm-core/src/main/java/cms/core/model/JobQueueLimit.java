package cms.core.model;

import cms.core.config.Settings;

/**
 * How many jobs may wait for one pod's nodes: one setting, {@value #KEY}, read by the resource manager
 * (a submission over it ends FAILED "queue full", whichever way it came) and by the web (a POST over it
 * is answered 429 at once, before it reaches Kafka).
 */
public final class JobQueueLimit {

    public static final String KEY = "CMS_RM_JOB_QUEUE_LIMIT";
    public static final int DEFAULT = 10_000;
    public static final int MAX = 10_000_000;

    private JobQueueLimit() {
    }

    public static int from(Settings s) {
        return s.integer(KEY, DEFAULT, 1, MAX);
    }
}
