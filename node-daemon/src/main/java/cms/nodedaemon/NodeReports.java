package cms.nodedaemon;

import cms.core.event.Ids;
import cms.core.event.NodeEvent;
import cms.core.kafka.EventPublisher;
import cms.core.topic.Topics;
import java.time.Clock;
import java.util.concurrent.ExecutionException;

/**
 * This host's facts about its nodes on {@code node-events}. Each call returns once Kafka has the event and
 * throws {@link IllegalStateException} with Kafka's reason when it could not be written.
 */
final class NodeReports {

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

    private void send(NodeEvent event) {
        try {
            publisher.publish(Topics.NODE_EVENTS, event).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + event.getClass().getSimpleName(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("node-events: " + event.getClass().getSimpleName() + " of node "
                    + event.node() + " not written: " + e.getCause(), e.getCause());
        }
    }
}
