package cms.web;

import cms.core.event.AdminReply;
import cms.core.event.AdminRequest;
import cms.core.event.Ids;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Whether a pod exists, for the routes that name one the web does not serve from the resource manager (a job's
 * pod, the dashboard's pod page). A pod the live view has read exists: a quick yes. One it has not read may be
 * new (its record on {@code pods} not read yet): the resource manager, which owns pods, decides.
 */
public final class PodLookup {

    private final Predicate<String> seen;
    private final AdminClient admin;
    private final Clock clock;
    private final Duration timeout;

    /** {@code seen}: whether this service has read the pod (the live view's pods). */
    public PodLookup(Predicate<String> seen, AdminClient admin, Clock clock, Duration timeout) {
        this.seen = seen;
        this.admin = admin;
        this.clock = clock;
        this.timeout = timeout;
    }

    /**
     * @throws ResourceManagerUnavailableException when the pod is not seen and the resource manager does not answer
     * @throws cms.core.kafka.BrokerUnreachableException when it is not seen and Kafka is unreachable
     */
    public boolean exists(String pod) {
        if (seen.test(pod)) {
            return true;
        }
        AdminReply reply = admin.call(new AdminRequest.GetPod(Ids.next(), 1, clock.instant(), pod), timeout);
        return reply.status() != 404;
    }
}
