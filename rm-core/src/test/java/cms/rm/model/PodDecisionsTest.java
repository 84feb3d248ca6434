package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.accepted;
import static cms.rm.model.CloudFixtures.given;
import static cms.rm.model.CloudFixtures.host;
import static cms.rm.model.CloudFixtures.imagePod;
import static cms.rm.model.CloudFixtures.launch;
import static cms.rm.model.CloudFixtures.limits;
import static cms.rm.model.CloudFixtures.observed;
import static cms.rm.model.CloudFixtures.online;
import static cms.rm.model.CloudFixtures.pod;
import static cms.rm.model.CloudFixtures.refused;
import static cms.rm.model.CloudFixtures.register;
import static cms.rm.model.CloudFixtures.removePod;
import static cms.rm.model.CloudFixtures.restarting;
import static cms.rm.model.CloudFixtures.stopped;
import static cms.rm.model.CloudFixtures.withHosts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.NodeCommand;
import cms.core.model.Pod;
import cms.core.model.Workload;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Registering and removing pods, with every validation rule naming its field. */
class PodDecisionsTest {

    private static final CloudState EMPTY = CloudState.empty();

    @Test
    void registerWithNothingButANameTakesTheDefaults() {
        Outcome o = accepted(EMPTY, pod("web"));
        assertEquals(201, o.reply().status());
        Pod p = o.state().requirePod("web");
        assertEquals(Workload.builtin(Workload.Builtin.LIGHT), p.workload());
        assertEquals(Pod.DEFAULT_CPU, p.cpuLimit(), 1e-12);
        assertEquals(Pod.DEFAULT_MEMORY_MB, p.memoryMb());
        assertEquals(Pod.DEFAULT_NODE_LIMIT, p.nodeLimit());
        assertFalse(p.paused());
        assertFalse(p.elasticity().enabled());
        assertEquals(List.of(p), o.changedPods());
        assertEquals(p, o.reply().body());
        assertFalse(o.cloudChanged());
        assertTrue(o.commands().isEmpty());
        assertFalse(o.state().initialised(), "registering a pod is not init");
    }

    @Test
    void registerWithABuiltinWordAndLimits() {
        Pod p = accepted(EMPTY, pod("big", "heavy")).state().requirePod("big");
        assertEquals(Workload.builtin(Workload.Builtin.HEAVY), p.workload());
        Pod q = accepted(EMPTY, pod("q", 2.5, 512, 7)).state().requirePod("q");
        assertEquals(2.5, q.cpuLimit(), 1e-12);
        assertEquals(512, q.memoryMb());
        assertEquals(7, q.nodeLimit());
    }

    @Test
    void registerAnImagePod() {
        Pod p = accepted(EMPTY, imagePod("api", null, " nginx:1.27 ", 80, "/healthz", "/work")).state()
                .requirePod("api");
        assertEquals(Workload.image("nginx:1.27", 80, "/healthz", "/work"), p.workload());
        assertFalse(p.workload().isBuiltin());
        Pod d = accepted(EMPTY, imagePod("api", null, "nginx", 8000, null, null)).state().requirePod("api");
        assertEquals("/health", d.workload().healthPath());
        assertEquals("/job", d.workload().jobPath());
    }

    @Test
    void theRestartPolicyIsAlwaysOrNeverAndAbsentMeansAlways() {
        assertNull(accepted(EMPTY, pod("web")).state().requirePod("web").restartPolicy());
        assertEquals("never", accepted(EMPTY, restarting("web", "never")).state().requirePod("web").restartPolicy());
        assertEquals("always", accepted(EMPTY, restarting("web", " always ")).state().requirePod("web")
                .restartPolicy());
        Outcome o = refused(EMPTY, restarting("web", "sometimes"), 400, "restart_policy");
        assertEquals("restart_policy: 'sometimes' is not one of always, never", o.reply().message());
        refused(EMPTY, restarting("web", ""), 400, "restart_policy");
        refused(EMPTY, restarting("web", "ALWAYS"), 400, "restart_policy");
    }

    @Test
    void anImageOutsideTheAllowListIsRefusedWith403NamingItAndTheListAndNothingIsRegistered() {
        AdminDecisions decisions = new AdminDecisions(CloudFixtures.PLACEMENT, AdminDecisions.DEFAULT_FRONTEND_BASE,
                cms.core.model.ImageAllowList.parse("cms/*,registry.example.com/team/*"));
        Outcome o = decisions.decide(EMPTY, imagePod("api", null, "nginx:1.27", 80, null, null), T0);
        assertEquals(403, o.reply().status());
        assertEquals("image 'nginx:1.27' is not allowed: CMS_IMAGE_ALLOW is cms/*,registry.example.com/team/*",
                o.reply().message());
        assertEquals(EMPTY, o.state());
        assertTrue(o.changedPods().isEmpty());
        assertEquals(201, decisions.decide(EMPTY, imagePod("api", null, "cms/workload:dev", 8080, null, null), T0)
                .reply().status());
        assertEquals(201, decisions.decide(EMPTY, pod("web"), T0).reply().status(), "built-in workloads are not images");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Nginx", "cms/../evil", "cms/a b", "cms/app:", "cms/app;rm -rf /"})
    void anImageThatIsNotAReferenceIsA400NamingImage(String image) {
        refused(EMPTY, imagePod("api", null, image, 80, null, null), 400, "image");
    }

    @Test
    void imagePodNeedsAPortInRange() {
        refused(EMPTY, imagePod("api", null, "nginx", null, null, null), 400, "port");
        refused(EMPTY, imagePod("api", null, "nginx", 0, null, null), 400, "port");
        refused(EMPTY, imagePod("api", null, "nginx", 65536, null, null), 400, "port");
        accepted(EMPTY, imagePod("api", null, "nginx", 65535, null, null));
        accepted(EMPTY, imagePod("api", null, "nginx", 1, null, null));
    }

    @Test
    void imagePodPathsMustStartWithASlash() {
        refused(EMPTY, imagePod("api", null, "nginx", 80, "health", null), 400, "health_path");
        refused(EMPTY, imagePod("api", null, "nginx", 80, "", null), 400, "health_path");
        refused(EMPTY, imagePod("api", null, "nginx", 80, "/he alth", null), 400, "health_path");
        refused(EMPTY, imagePod("api", null, "nginx", 80, "/health", "job"), 400, "job_path");
    }

    /** A path the resource manager could not send a job or a health check to is refused where it enters. */
    @Test
    void imagePodPathsMustBeUriPaths() {
        refused(EMPTY, imagePod("api", null, "nginx", 80, "/health", "/x|y"), 400, "job_path");
        refused(EMPTY, imagePod("api", null, "nginx", 80, "/health", "/a%zz"), 400, "job_path");
        refused(EMPTY, imagePod("api", null, "nginx", 80, "/h\\x", null), 400, "health_path");
        refused(EMPTY, imagePod("api", null, "nginx", 80, "/h<script>", null), 400, "health_path");
        refused(EMPTY, imagePod("api", null, "nginx", 80, "/" + "a".repeat(PodRules.MAX_PATH), null), 400,
                "health_path");
        accepted(EMPTY, imagePod("api", null, "nginx", 80, "/healthz", "/v1/jobs/run?mode=fast&x=%20"));
        accepted(EMPTY, imagePod("api", null, "nginx", 80, "/status/", "/a-b_c.d~e/@x:1"));
    }

    @Test
    void bothWorkloadAndImageIsRefusedOnWorkload() {
        Outcome o = refused(EMPTY, imagePod("api", "light", "nginx", 80, null, null), 400, "workload");
        assertTrue(o.reply().message().startsWith("workload"), o.reply().message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"huge", "LIGHT", "nginx"})
    void unknownWorkloadWordIsRefusedOnWorkload(String word) {
        refused(EMPTY, pod("web", word), 400, "workload");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "Web", "1web", "-web", "web pod", "web.pod",
        "a23456789012345678901234567890123456789012"})
    void badPodNameIsRefusedOnName(String name) {
        refused(EMPTY, pod(name), 400, "name");
    }

    @Test
    void nameRulesAcceptTheEdges() {
        String forty = "a234567890123456789012345678901234567890";
        assertEquals(40, forty.length());
        accepted(EMPTY, pod(forty));
        refused(EMPTY, pod(forty + "1"), 400, "name");
        accepted(EMPTY, pod("x"));
        accepted(EMPTY, pod("web_1-a"));
        refused(EMPTY, pod(null), 400, "name");
    }

    @Test
    void cpuMustBeAboveZeroAndAtMost64() {
        refused(EMPTY, limits("w", 0.0, null, null), 400, "cpu");
        refused(EMPTY, limits("w", -1.0, null, null), 400, "cpu");
        refused(EMPTY, limits("w", 64.01, null, null), 400, "cpu");
        refused(EMPTY, limits("w", Double.NaN, null, null), 400, "cpu");
        accepted(EMPTY, limits("w", 64.0, null, null));
        accepted(EMPTY, limits("w", 0.01, null, null));
    }

    @Test
    void memoryMustBeInRange() {
        refused(EMPTY, limits("w", null, 15, null), 400, "memory_mb");
        refused(EMPTY, limits("w", null, 0, null), 400, "memory_mb");
        refused(EMPTY, limits("w", null, 1024 * 1024 + 1, null), 400, "memory_mb");
        accepted(EMPTY, limits("w", null, 16, null));
        accepted(EMPTY, limits("w", null, 1024 * 1024, null));
    }

    @Test
    void nodeLimitMustBeInRange() {
        refused(EMPTY, limits("w", null, null, 0), 400, "node_limit");
        refused(EMPTY, limits("w", null, null, -3), 400, "node_limit");
        refused(EMPTY, limits("w", null, null, 1001), 400, "node_limit");
        accepted(EMPTY, limits("w", null, null, 1));
        accepted(EMPTY, limits("w", null, null, 1000));
    }

    @Test
    void duplicatePodIsAConflict() {
        CloudState s = given(pod("web"));
        refused(s, pod("web", "heavy"), 409, null);
        refused(given(CloudFixtures.init()), pod("light"), 409, null);
    }

    @Test
    void removeUnknownPodIsNotFound() {
        refused(given(pod("web")), removePod("ghost", false), 404, "pod");
    }

    @Test
    void removePodWithoutLiveNodesRemovesIt() {
        CloudState s = given(pod("web"), pod("other"));
        Outcome o = accepted(s, removePod("web", false));
        assertEquals(200, o.reply().status());
        assertEquals(Set.of("other"), o.state().pods().keySet());
        assertEquals(List.of("web"), o.removedPods());
        assertTrue(o.changedPods().isEmpty());
        assertTrue(o.commands().isEmpty());
    }

    @Test
    void removePodWithOnlyStoppedNodesNeedsNoForce() {
        CloudState s = withHosts(given(pod("web"), register("web", "n1")), host("h1", 4, 4096));
        s = given(s, launch("web"));
        s = observed(s, T0, stopped("web", "n1"));
        Outcome o = accepted(s, removePod("web", false));
        assertTrue(o.state().pod("web").isEmpty());
        assertTrue(o.commands().isEmpty(), "a stopped node holds nothing to stop");
    }

    @Test
    void removePodWithLiveNodesIsAConflictListingThem() {
        CloudState s = given(pod("web"), register("web", "n1"), register("web", "n2"));
        Outcome o = refused(s, removePod("web", false), 409, null);
        assertTrue(o.reply().message().contains("n1 NEW"), o.reply().message());
        assertTrue(o.reply().message().contains("n2 NEW"), o.reply().message());
        assertTrue(o.reply().message().contains("force"), o.reply().message());
    }

    @Test
    void forcedRemoveStopsTheNodesThatHoldCapacity() {
        CloudState s = withHosts(given(pod("web"), register("web", "n1"), register("web", "n2"),
                register("web", "n3")), host("h1", 4, 4096));
        s = given(s, launch("web"), launch("web"));
        s = observed(s, T0, online("web", "n2", "10.0.0.2", 8080));
        // n1 STARTING on h1, n2 ONLINE on h1, n3 NEW (holds nothing)
        Outcome o = accepted(s, removePod("web", true));

        assertTrue(o.state().pod("web").isEmpty());
        assertEquals(List.of("web"), o.removedPods());
        assertTrue(o.changedPods().isEmpty());
        assertEquals(2, o.commands().size());
        Set<String> stoppedNodes = o.commands().stream().map(c -> {
            NodeCommand.StopNode stop = (NodeCommand.StopNode) c;
            assertEquals("h1", stop.hostId());
            assertEquals("web", stop.pod());
            assertEquals(T0, stop.at());
            return stop.node();
        }).collect(Collectors.toSet());
        assertEquals(Set.of("n1", "n2"), stoppedNodes);
        assertTrue(o.reply().message().contains("stopping 2"), o.reply().message());
        assertNull(o.reply().body());
    }
}
