package cms.web;

import cms.core.event.AdminReply;
import cms.core.event.AdminRequest;
import java.time.Duration;

/** Asks the resource manager: one admin request, its reply ({@link AdminRequestClient} over Kafka). */
public interface AdminClient {

    /**
     * @throws cms.core.kafka.BrokerUnreachableException when Kafka does not answer
     * @throws ResourceManagerUnavailableException when no reply comes within the timeout
     */
    AdminReply call(AdminRequest request, Duration timeout);
}
