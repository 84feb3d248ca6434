package cms.web.live;

import cms.core.config.Settings;
import cms.core.kafka.KafkaSettings;
import java.time.Duration;

/**
 * Settings of the web service's live view: {@code CMS_WEB_LIVE_WINDOW_MS} (default 900000: how much of
 * the past the charts and resuming clients get); {@code CMS_WEB_LIVE_LOG_MAX} (default 500000: the most
 * events kept for resuming clients); {@code CMS_WEB_STREAM_QUEUE} (default 10000: events waiting for one
 * stream client before it is dropped as too slow); {@code CMS_WEB_STREAM_KEEPALIVE_MS} (default 15000: a
 * comment on an idle stream, so proxies keep it and a gone client is noticed).
 */
public record LiveConfig(KafkaSettings kafka, Duration window, int logMax, int clientQueue, Duration keepAlive) {

    public static LiveConfig from(Settings s) {
        return new LiveConfig(KafkaSettings.from(s),
                s.millis("CMS_WEB_LIVE_WINDOW_MS", Duration.ofMinutes(15), Duration.ofSeconds(10), Duration.ofHours(6)),
                s.integer("CMS_WEB_LIVE_LOG_MAX", 500_000, 1_000, 10_000_000),
                s.integer("CMS_WEB_STREAM_QUEUE", 10_000, 10, 1_000_000),
                s.millis("CMS_WEB_STREAM_KEEPALIVE_MS", Duration.ofSeconds(15), Duration.ofMillis(100),
                        Duration.ofMinutes(5)));
    }
}
