package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.accepted;
import static cms.rm.model.CloudFixtures.disable;
import static cms.rm.model.CloudFixtures.enable;
import static cms.rm.model.CloudFixtures.given;
import static cms.rm.model.CloudFixtures.id;
import static cms.rm.model.CloudFixtures.lower;
import static cms.rm.model.CloudFixtures.pod;
import static cms.rm.model.CloudFixtures.refused;
import static cms.rm.model.CloudFixtures.register;
import static cms.rm.model.CloudFixtures.upper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.AdminRequest;
import cms.core.model.ElasticityPolicy;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Enabling and disabling elasticity, its bounds and its thresholds. */
class ElasticitySettingsTest {

    /** Pod web with a node limit of 10. */
    private static final CloudState WEB = given(pod("web", 0.3, 100, 10));

    private static ElasticityPolicy policy(CloudState s) {
        return s.requirePod("web").elasticity();
    }

    @Test
    void enableStoresTheBounds() {
        Outcome o = accepted(WEB, enable("web", 2, 5));
        assertEquals(200, o.reply().status());
        ElasticityPolicy p = policy(o.state());
        assertTrue(p.enabled());
        assertEquals(2, p.min());
        assertEquals(5, p.max());
        assertEquals(ElasticityPolicy.DEFAULT_LOWER, p.lowerThreshold(), 1e-12);
        assertEquals(ElasticityPolicy.DEFAULT_UPPER, p.upperThreshold(), 1e-12);
        assertEquals(p, o.reply().body());
        assertEquals(1, o.changedPods().size());
        assertTrue(o.commands().isEmpty());
    }

    @Test
    void enableAcceptsTheEdgesOfTheBounds() {
        assertTrue(policy(accepted(WEB, enable("web", 1, 1)).state()).enabled());
        assertTrue(policy(accepted(WEB, enable("web", 10, 10)).state()).enabled());
        assertTrue(policy(accepted(WEB, new AdminRequest.EnableElasticity(id(), 1, T0, "web", 0, 0, "target",
                "queue", 5.0, null)).state()).enabled());
    }

    @Test
    void minZeroIsOnlyForMetricsAPodWithoutNodesStillHasTheQueueAndRequests() {
        Outcome cpu = refused(WEB, enable("web", 0, 5), 400, "min");
        assertTrue(cpu.reply().message().contains("only with metric queue, rps or latency"), cpu.reply().message());
        ElasticityPolicy queue = policy(accepted(WEB, with("target", "queue", 4.0, null, 0)).state());
        assertEquals(0, queue.min());
        assertEquals("queue", queue.metric());
        assertEquals(0, policy(accepted(WEB, with(null, "queue", null, null, 0)).state()).min(), "threshold mode too");
        ElasticityPolicy rps = policy(accepted(WEB, with("target", "rps", 40.0, null, 0)).state());
        assertEquals(0, rps.min());
        assertTrue(cms.core.model.ScaleFromZero.holdsRequests(rps), "its balancer holds requests at 0 nodes");
        assertEquals(0, policy(accepted(WEB, with("target", "latency", 200.0, null, 0)).state()).min());
        assertFalse(cms.core.model.ScaleFromZero.holdsRequests(queue), "jobs wait in the resource manager's queue");
        CloudState zero = accepted(WEB, with("target", "queue", 4.0, null, 0)).state();
        refused(zero, with(null, "cpu", null, null, 0), 400, "min");
    }

    @Test
    void negativeMinIsRefusedOnMin() {
        Outcome o = refused(WEB, enable("web", -1, 5), 400, "min");
        assertTrue(o.reply().message().startsWith("min"), o.reply().message());
    }

    @Test
    void maxBelowMinIsRefusedOnMax() {
        refused(WEB, enable("web", 4, 3), 400, "max");
    }

    @Test
    void maxAboveTheNodeLimitIsRefusedOnMax() {
        Outcome o = refused(WEB, enable("web", 1, 11), 400, "max");
        assertTrue(o.reply().message().contains("10"), o.reply().message());
    }

    @Test
    void enableOnUnknownPodIsNotFound() {
        refused(WEB, enable("ghost", 1, 2), 404, "pod");
        refused(WEB, disable("ghost"), 404, "pod");
        refused(WEB, lower("ghost", 0.3), 404, "pod");
    }

    @Test
    void disableKeepsTheNodesAndTheBounds() {
        CloudState s = given(WEB, register("web", "n1"), register("web", "n2"), enable("web", 1, 4));
        Outcome o = accepted(s, disable("web"));
        assertEquals(200, o.reply().status());
        assertFalse(policy(o.state()).enabled());
        assertEquals(1, policy(o.state()).min());
        assertEquals(4, policy(o.state()).max());
        assertEquals(s.requirePod("web").nodes(), o.state().requirePod("web").nodes());
        assertTrue(o.commands().isEmpty());
        accepted(o.state(), register("web", "n3"));
    }

    @Test
    void validThresholdsAreStored() {
        CloudState s = given(WEB, lower("web", 0.3), upper("web", 0.9));
        assertEquals(0.3, policy(s).lowerThreshold(), 1e-12);
        assertEquals(0.9, policy(s).upperThreshold(), 1e-12);
        assertFalse(policy(s).enabled(), "setting a threshold does not enable elasticity");
        Outcome o = accepted(s, lower("web", 0.0));
        assertEquals(200, o.reply().status());
        assertEquals(policy(o.state()), o.reply().body());
        assertEquals(1.0, policy(given(s, upper("web", 1.0))).upperThreshold(), 1e-12);
    }

    @Test
    void thresholdsKeepTheEnabledBounds() {
        CloudState s = given(WEB, enable("web", 1, 3), upper("web", 0.7));
        assertEquals(new ElasticityPolicy(true, 1, 3, 0.2, 0.7), policy(s));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, 1.01, 2, Double.NaN})
    void lowerOutsideZeroOneIsRefused(double value) {
        refused(WEB, lower("web", value), 400, "value");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.5, 1.0001, Double.POSITIVE_INFINITY})
    void upperOutsideZeroOneIsRefused(double value) {
        refused(WEB, upper("web", value), 400, "value");
    }

    @Test
    void thresholdsCloserThanTheGapOrCrossedAreRefused() {
        // defaults: lower 0.2, upper 0.8
        refused(WEB, lower("web", 0.75), 400, "value");
        refused(WEB, lower("web", 0.9), 400, "value");
        refused(WEB, upper("web", 0.25), 400, "value");
        refused(WEB, upper("web", 0.1), 400, "value");
    }

    @Test
    void thresholdsExactlyTheGapApartAreAccepted() {
        assertEquals(0.7, policy(accepted(WEB, lower("web", 0.7)).state()).lowerThreshold(), 1e-12);
        assertEquals(0.3, policy(accepted(WEB, upper("web", 0.3)).state()).upperThreshold(), 1e-12);
    }

    @Test
    void thresholdWithoutItsKindIsRefusedOnThreshold() {
        AdminRequest.SetThreshold unnamed = new AdminRequest.SetThreshold(id(), 1, T0, "web", null, 0.5);
        refused(WEB, unnamed, 400, "threshold");
    }

    @Test
    void missingNumbersAreRefusedNotTakenAsZero() {
        refused(WEB, new AdminRequest.EnableElasticity(id(), 1, T0, "web", null, 3), 400, "min");
        refused(WEB, new AdminRequest.EnableElasticity(id(), 1, T0, "web", 1, null), 400, "max");
        refused(WEB, new AdminRequest.SetThreshold(id(), 1, T0, "web", AdminRequest.Threshold.LOWER, null), 400,
                "value");
    }

    private static AdminRequest.EnableElasticity with(String mode, String metric, Double target, String step) {
        return with(mode, metric, target, step, 1);
    }

    private static AdminRequest.EnableElasticity with(String mode, String metric, Double target, String step,
                                                      int min) {
        return new AdminRequest.EnableElasticity(id(), 1, T0, "web", min, 3, mode, metric, target, step);
    }

    @Test
    void unknownModeMetricOrStepIsRefusedOnItsField() {
        refused(WEB, with("fancy", null, null, null), 400, "mode");
        Outcome metric = refused(WEB, with(null, "p95", null, null), 400, "metric");
        assertTrue(metric.reply().message().contains("cpu, rps, latency, queue"), metric.reply().message());
        refused(WEB, with(null, null, null, "two"), 400, "step");
    }

    @Test
    void targetModeNeedsASensibleTarget() {
        refused(WEB, with("target", "cpu", null, null), 400, "target");
        refused(WEB, with("target", "cpu", 1.5, null), 400, "target");
        refused(WEB, with("target", "rps", -3.0, null), 400, "target");
        ElasticityPolicy rps = accepted(WEB, with("target", "rps", 40.0, null)).state().requirePod("web").elasticity();
        assertEquals("target", rps.mode());
        assertEquals("rps", rps.metric());
        assertEquals(40.0, rps.target());
    }

    @Test
    void demandModeIsOnTheCpuWithASetPointThatIsAShare() {
        Outcome rps = refused(WEB, with("demand", "rps", null, null), 400, "metric");
        assertTrue(rps.reply().message().contains("its metric is cpu, not rps"), rps.reply().message());
        refused(WEB, with("demand", null, 1.2, null), 400, "target");
        refused(WEB, with("demand", null, 0.0, null), 400, "target");
        refused(WEB, with("demand", null, null, null, 0), 400, "min");
        Outcome ok = accepted(WEB, with("demand", null, null, null));
        ElasticityPolicy demand = ok.state().requirePod("web").elasticity();
        assertEquals("demand", demand.mode());
        assertEquals(0.8, demand.setPointOrDefault(), "the default set-point");
        assertTrue(ok.reply().message().contains("sized from demand, each node at 0.8 of its CPU"), ok.reply().message());
        assertEquals(0.6, policy(accepted(WEB, with("demand", "cpu", 0.6, null)).state()).setPointOrDefault());
    }

    @Test
    void latencyNeedsTargetModeWithATargetInMilliseconds() {
        Outcome threshold = refused(WEB, with(null, "latency", null, null), 400, "mode");
        assertTrue(threshold.reply().message().contains("milliseconds"), threshold.reply().message());
        refused(WEB, with("threshold", "latency", 200.0, null), 400, "mode");
        Outcome none = refused(WEB, with("target", "latency", null, null), 400, "target");
        assertTrue(none.reply().message().contains("milliseconds"), none.reply().message());
        Outcome share = refused(WEB, with("target", "latency", 0.5, null), 400, "target");
        assertTrue(share.reply().message().contains("0.5 is not a response time in milliseconds"),
                share.reply().message());
        refused(WEB, with("target", "latency", 700_000.0, null), 400, "target");
        ElasticityPolicy ok = policy(accepted(WEB, with("target", "latency", 250.0, null)).state());
        assertEquals("latency", ok.metric());
        assertEquals(250.0, ok.target());
    }

    @Test
    void queueTargetsArePositiveJobCountsPerNode() {
        refused(WEB, with("target", "queue", 0.0, null), 400, "target");
        refused(WEB, with("target", "queue", Double.POSITIVE_INFINITY, null), 400, "target");
        assertEquals(12.0, policy(accepted(WEB, with("target", "queue", 12.0, null)).state()).target(),
                "not a share: above 1 is fine");
    }

    private static AdminRequest.EnableElasticity timed(Integer outWindow, Integer inWindow, Integer outCooldown,
                                                       Integer inCooldown) {
        return new AdminRequest.EnableElasticity(id(), 1, T0, "web", 1, 3, null, null, null, null, outWindow, inWindow,
                outCooldown, inCooldown);
    }

    @Test
    void aPodsOwnWindowsAndCoolDownsAreStoredSaidInTheReplyAndKeptUntilChanged() {
        Outcome o = accepted(WEB, timed(5, 120, null, 0));
        ElasticityPolicy p = policy(o.state());
        assertEquals(5, p.scaleOutWindowSeconds());
        assertEquals(120, p.scaleInWindowSeconds());
        assertEquals(null, p.scaleOutCooldownSeconds(), "not given: the service's setting applies");
        assertEquals(0, p.scaleInCooldownSeconds(), "0 is a value: no cool-down");
        assertTrue(o.reply().message().endsWith("step proportional, scale-out window 5 s, scale-in window 120 s, "
                + "scale-in cool-down 0 s)"), o.reply().message());
        ElasticityPolicy again = policy(given(o.state(), enable("web", 2, 4), timed(null, 60, 7, null)));
        assertEquals(List.of(5, 60, 7, 0), Arrays.asList(again.scaleOutWindowSeconds(), again.scaleInWindowSeconds(),
                again.scaleOutCooldownSeconds(), again.scaleInCooldownSeconds()), "each kept until given again");
        assertEquals(120, policy(given(o.state(), disable("web"))).scaleInWindowSeconds(), "kept while disabled");
        assertEquals(120, policy(given(o.state(), upper("web", 0.7))).scaleInWindowSeconds());
    }

    @Test
    void windowsAndCoolDownsOutsideAnHourOrNegativeAreRefusedOnTheirField() {
        refused(WEB, timed(-1, null, null, null), 400, "scale_out_window_seconds");
        refused(WEB, timed(null, 3601, null, null), 400, "scale_in_window_seconds");
        refused(WEB, timed(null, null, -5, null), 400, "scale_out_cooldown_seconds");
        Outcome o = refused(WEB, timed(null, null, null, 7200), 400, "scale_in_cooldown_seconds");
        assertTrue(o.reply().message().contains("7200 must be within [0, 3600] seconds"), o.reply().message());
        assertEquals(3600, policy(accepted(WEB, timed(3600, 3600, 3600, 3600)).state()).scaleInCooldownSeconds());
    }

    @Test
    void modeAndStepAreKeptUntilChanged() {
        assertEquals("proportional", accepted(WEB, enable("web", 1, 3)).state().requirePod("web").elasticity()
                .stepOrDefault(), "the default step");
        CloudState s = accepted(WEB, with(null, null, null, "one")).state();
        assertEquals("one", s.requirePod("web").elasticity().stepOrDefault());
        CloudState again = accepted(s, new AdminRequest.EnableElasticity(id(), 1, T0, "web", 2, 4)).state();
        assertEquals("one", again.requirePod("web").elasticity().stepOrDefault(), "not given: kept");
        assertEquals("threshold", again.requirePod("web").elasticity().modeOrDefault());
    }
}
