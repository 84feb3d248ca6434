package cms.rm.model;

import cms.core.event.AdminReply;
import cms.core.event.NodeCommand;
import cms.core.model.Pod;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * What applying one input to the cloud state gives: the new state, the pods whose snapshot changed,
 * the pods removed (tombstones), the commands for node daemons, and, for an admin request, the reply.
 */
public record Outcome(CloudState state, List<Pod> changedPods, List<String> removedPods, boolean cloudChanged,
                      List<NodeCommand> commands, Reply reply) {

    /**
     * The reply to an admin request: HTTP status, the field at fault for a 400, a sentence, a body, and, on
     * one page of a list that has more, the {@code after} of the next page ({@link ListPages}).
     */
    public record Reply(int status, String field, String message, Object body, String next) {
        public Reply(int status, String field, String message, Object body) {
            this(status, field, message, body, null);
        }

        public static Reply of(int status, String message, Object body) {
            return new Reply(status, null, message, body);
        }

        /** This reply as the event on admin-replies, its body already turned into JSON. */
        public AdminReply toEvent(String eventId, Instant at, String requestId, JsonNode json) {
            return new AdminReply(eventId, 1, at, requestId, status, field, message, json, next);
        }

        public static Reply rejected(Rejection r) {
            return new Reply(r.status(), r.field(), r.getMessage(), null);
        }
    }

    public Outcome {
        changedPods = List.copyOf(changedPods);
        removedPods = List.copyOf(removedPods);
        commands = List.copyOf(commands);
    }

    public static Outcome unchanged(CloudState state, Reply reply) {
        return new Outcome(state, List.of(), List.of(), false, List.of(), reply);
    }

    public static Outcome pod(CloudState before, Pod pod, Reply reply, List<NodeCommand> commands) {
        return new Outcome(before.withPod(pod), List.of(pod), List.of(), false, commands, reply);
    }
}
