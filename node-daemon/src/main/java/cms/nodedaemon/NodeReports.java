package cms.nodedaemon;

import cms.core.event.Ids;
import cms.core.event.NodeEvent;
import cms.core.kafka.EventPublisher;
import cms.core.topic.Topics;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This host's facts about its nodes on {@code node-events}. Each call returns once Kafka has the event and
 * throws {@link IllegalStateException} with Kafka's reason when it could not be written.
 */
final class NodeReports {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NodeReports.class);
    static final java.time.Duration ACK_WAIT = java.time.Duration.ofSeconds(5);

    private final String hostId;
    private final EventPublisher publisher;
    private final Clock clock;

    NodeReports(String hostId, EventPublisher publisher, Clock clock) {
        this.hostId = hostId;
        this.publisher = publisher;
        this.clock = clock;
    }

    void starting(String node, String pod) {
        send(new NodeEvent.NodeStarting(Ids.next(), 1, clock.instant(), node, pod, hostId));
    }

    void online(String node, String pod, String address, int port) {
        send(new NodeEvent.NodeOnline(Ids.next(), 1, clock.instant(), node, pod, hostId, address, port));
    }

    void failed(String node, String pod, String reason, Integer exitCode) {
        send(new NodeEvent.NodeFailed(Ids.next(), 1, clock.instant(), node, pod, hostId, reason, exitCode));
    }

    void stopped(String node, String pod) {
        send(new NodeEvent.NodeStopped(Ids.next(), 1, clock.instant(), node, pod, hostId));
    }

    /**
     * Waits for Kafka's acknowledgement at most {@link #ACK_WAIT}: while Kafka is away the event stays in the
     * producer (delivered when it is back, within the producer's delivery timeout) and the supervisor goes on
     * watching the other nodes instead of waiting minutes here.
     */
    private void send(NodeEvent event) {
        try {
            publisher.publish(Topics.NODE_EVENTS, event).get(ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("host={} node={} {} not acknowledged within {} ms (Kafka away?); left to the producer", hostId,
                    event.node(), event.getClass().getSimpleName(), ACK_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + event.getClass().getSimpleName(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("node-events: " + event.getClass().getSimpleName() + " of node "
                    + event.node() + " not written: " + e.getCause(), e.getCause());
        }
    }
}
