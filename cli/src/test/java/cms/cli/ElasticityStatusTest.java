package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cms.core.codec.EventCodec;
import cms.core.event.ScalingDecision;
import cms.core.model.ElasticityPolicy;
import cms.web.model.Views;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@code cloud elasticity status POD} prints, from the JSON the web service writes for a
 * {@link Views.ElasticityStatus} (as the API writes it): a line per node waiting for a restart, with its
 * restarts, when the next is due and why.
 */
class ElasticityStatusTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private final EventCodec codec = new EventCodec();

    private String render(Views.ElasticityStatus status) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CloudCommands.Status.render(new PrintStream(out, true, StandardCharsets.UTF_8),
                codec.mapper().readTree(new cms.web.ApiJson(codec).write(status)));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void nodesWaitingForARestartAreListedWithTheirCountdownAndReason() throws Exception {
        ElasticityPolicy policy = ElasticityPolicy.disabled().enable(1, 3);
        Views.ElasticityStatus status = new Views.ElasticityStatus("web", policy, "cpu", 0.42, 1, 0, 3, 3,
                List.of(new ScalingDecision("d1", 1, T0, "web", "cpu", 0.9, 2, 3, "cpu 0.90 above 0.80")),
                List.of(new Views.NodeRestart("web-2", 3, T0.plusSeconds(42), 42, "exited with code 1; restart 4 in 80 s"),
                        new Views.NodeRestart("web-3", 0, T0, 0, "failed; restart 1 waits for a host with room")));
        assertEquals(String.join("\n",
                "pod web: elasticity on, 1-3 nodes, threshold mode on cpu (lower 0.20, upper 0.80, step proportional)",
                "cpu now: 0.42; nodes: 1 ONLINE, 0 STARTING, 3 in all, target 3",
                "2 nodes wait for a restart:",
                "NODE   RESTARTS  NEXT     REASON",
                "web-2  3         in 42 s  exited with code 1; restart 4 in 80 s",
                "web-3  0         due      failed; restart 1 waits for a host with room",
                "AT                    NODES   VALUE  REASON",
                "2025-03-01T10:00:00Z  2 -> 3  0.90   cpu 0.90 above 0.80", ""), render(status));
    }

    @Test
    void noRestartLineWhenNoNodeWaits() throws Exception {
        Views.ElasticityStatus status = new Views.ElasticityStatus("web", ElasticityPolicy.disabled(), "cpu", null, 2,
                0, 2, null, List.of(), List.of());
        assertEquals(String.join("\n",
                "pod web: elasticity off, 0-0 nodes, threshold mode on cpu (lower 0.20, upper 0.80, step proportional)",
                "cpu now: no samples; nodes: 2 ONLINE, 0 STARTING, 2 in all, target -",
                "no decisions yet", ""), render(status));
    }
}
