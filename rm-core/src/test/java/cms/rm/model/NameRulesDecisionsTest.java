package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.disable;
import static cms.rm.model.CloudFixtures.enable;
import static cms.rm.model.CloudFixtures.given;
import static cms.rm.model.CloudFixtures.id;
import static cms.rm.model.CloudFixtures.init;
import static cms.rm.model.CloudFixtures.launch;
import static cms.rm.model.CloudFixtures.pause;
import static cms.rm.model.CloudFixtures.refused;
import static cms.rm.model.CloudFixtures.register;
import static cms.rm.model.CloudFixtures.removeNode;
import static cms.rm.model.CloudFixtures.removePod;
import static cms.rm.model.CloudFixtures.resume;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.AdminRequest;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The resource manager applies the contract's name rule too (the web checks first, but any system can
 * write on admin-requests): a name no pod or node can have is a 400 naming its field, not a 404.
 */
class NameRulesDecisionsTest {

    private static final List<String> BAD = List.of(" ", "", "UPPER", "a b", "x".repeat(41), "a/b");

    @Test
    void everyRequestAboutAPodRefusesABadPodNameNamingPod() {
        CloudState cloud = given(init(), register("light", "a1"));
        List<Function<String, AdminRequest>> requests = List.of(
                p -> new AdminRequest.GetPod(id(), 1, T0, p),
                p -> removePod(p, false),
                CloudFixtures::launch,
                CloudFixtures::pause,
                CloudFixtures::resume,
                p -> enable(p, 1, 2),
                CloudFixtures::disable,
                p -> new AdminRequest.SetThreshold(id(), 1, T0, p, AdminRequest.Threshold.LOWER, 0.1),
                p -> new AdminRequest.ListNodes(id(), 1, T0, p),
                p -> register(p, "a9"),
                p -> removeNode(p, "a1"));
        for (String bad : BAD) {
            for (Function<String, AdminRequest> request : requests) {
                Outcome o = refused(cloud, request.apply(bad), 400, "pod");
                assertTrue(o.reply().message().startsWith(bad.isBlank() ? "pod: is required" : "pod: '"), o.reply().message());
            }
        }
    }

    @Test
    void removingANodeWithABadNameIsA400NamingNode() {
        CloudState cloud = given(init(), register("light", "a1"));
        for (String bad : BAD) {
            refused(cloud, removeNode("light", bad), 400, "node");
        }
    }

    @Test
    void aGoodNameOfNoPodIsStillA404() {
        refused(given(init()), launch("nopod"), 404, "pod");
        refused(given(init()), pause("nopod"), 404, "pod");
        refused(given(init()), resume("nopod"), 404, "pod");
        refused(given(init()), disable("nopod"), 404, "pod");
    }
}
