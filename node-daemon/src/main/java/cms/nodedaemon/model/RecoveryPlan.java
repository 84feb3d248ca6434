package cms.nodedaemon.model;

import cms.nodedaemon.driver.RunningNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the supervisor does with its host's nodes when the driver's engine answers again after it was away
 * (a Docker engine restart stops every container): the nodes it watches that were stopped meanwhile are
 * started again in place, those still running are kept, those gone are reported FAILED, and whatever is
 * found that it does not watch (a node whose stop failed while the engine was away) is removed. The
 * counterpart of {@link AdoptionPlan}, with the supervisor's own nodes as the wanted ones.
 */
public final class RecoveryPlan {

    /** One step of the plan. */
    public sealed interface Step {
        String node();
    }

    /** Still running: probe its health again, since its engine was away. */
    public record Keep(String node) implements Step {
    }

    /** Stopped while the engine was away: start it again in place. */
    public record Restart(String node) implements Step {
    }

    /** Watched but not found: report it FAILED. */
    public record Gone(String node) implements Step {
    }

    /** Found but not watched: stop and remove it. */
    public record Remove(String node) implements Step {
    }

    private RecoveryPlan() {
    }

    public static List<Step> plan(Set<String> watched, List<RunningNode> found) {
        Map<String, RunningNode> byName = found.stream()
                .collect(Collectors.toMap(RunningNode::node, Function.identity(), (a, b) -> a));
        List<Step> steps = new ArrayList<>();
        for (String node : watched.stream().sorted().toList()) {
            RunningNode r = byName.get(node);
            steps.add(r == null ? new Gone(node) : r.running() ? new Keep(node) : new Restart(node));
        }
        byName.keySet().stream().filter(n -> !watched.contains(n)).sorted().forEach(n -> steps.add(new Remove(n)));
        return steps;
    }
}
