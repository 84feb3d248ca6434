package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.topic.Topics;
import cms.rm.model.ListPages;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Pod and node lists in pages on a real broker, resource manager and web service: with 1 200 pods the
 * listing is complete and in name order over pages that follow {@code next}, {@code cloud pod ls} and
 * {@code cloud node ls} show every item as before, and every reply record stays under a stated bound.
 */
class ListPagingIT {

    static final int PODS = 1200;
    static final int NODES = 150;
    /** The bound each admin reply record must stay under: half the producer's default limit of 1 MiB. */
    static final int REPLY_BOUND = 512 * 1024;

    @Test
    void aLargeCloudListsCompletelyInPagesOfBoundedRecords() throws Exception {
        try (TestCluster cms = new TestCluster().withResourceManager().withWeb(Map.of())) {
            JsonHttp api = cms.api();
            List<String> names = IntStream.range(0, PODS).mapToObj(i -> String.format("p%04d", i)).toList();
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<JsonHttp.Response>> all = new ArrayList<>();
                for (String name : names) {
                    all.add(pool.submit(() -> api.post("/api/pods", "{\"name\":\"" + name + "\",\"node_limit\":"
                            + (name.equals("p0000") ? 1000 : 1) + "}")));
                }
                for (Future<JsonHttp.Response> f : all) {
                    JsonHttp.Response r = f.get(5, TimeUnit.MINUTES);
                    assertEquals(201, r.status(), r::toString);
                }
            } finally {
                pool.shutdownNow();
            }
            System.out.printf("ListPagingIT: %d pods registered in %d ms%n", PODS, (System.nanoTime() - t0) / 1_000_000);
            for (int i = 0; i < NODES; i++) {
                assertEquals(201, api.post("/api/pods/p0000/nodes", "{\"name\":\"n" + i + "\"}").status());
            }

            // the API in pages: default 100, each with next until the last
            List<String> listed = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            String after = null;
            do {
                JsonHttp.Response page = api.get("/api/pods" + (after == null ? "" : "?after=" + after));
                assertEquals(200, page.status(), page::toString);
                assertEquals(PODS + " pod(s)", page.text("message"), "the message counts the whole list");
                page.data().forEach(p -> listed.add(p.get("name").asText()));
                sizes.add(page.data().size());
                after = page.text("next");
            } while (after != null && sizes.size() <= PODS);
            assertEquals(names, listed, "every pod once, in name order");
            assertEquals(PODS / 100, sizes.size(), "pages of the default 100: " + sizes);

            // a page of up to 1 000 stops at the item budget: p0000 weighs itself and its nodes, the others one each
            JsonHttp.Response big = api.get("/api/pods?limit=1000");
            int fit = ListPages.ITEM_BUDGET - NODES;
            assertEquals(fit, big.data().size());
            assertEquals(String.format("p%04d", fit - 1), big.text("next"));
            assertEquals(400, api.get("/api/pods?limit=1001").status());

            // the CLI follows the pages: every pod, one table, no cursor in --json
            TestCluster.Run ls = cms.cloud("pod", "ls");
            assertEquals(0, ls.exit(), ls.err());
            assertEquals(PODS + 1, ls.out().strip().lines().count(), "header and one line per pod");
            JsonNode json = JsonHttp.parse(cms.cloud("--json", "pod", "ls").out());
            assertEquals(PODS, json.get("data").size());
            assertNull(json.get("next"));
            TestCluster.Run nodes = cms.cloud("node", "ls", "p0000");
            assertEquals(NODES + 1, nodes.out().strip().lines().count(), nodes.out());
            assertEquals(NODES + 1, cms.cloud("node", "ls").out().strip().lines().count());
            JsonHttp.Response nodePage = api.get("/api/pods/p0000/nodes?after=n99");
            assertEquals(NODES - 100, nodePage.data().size());
            assertFalse(nodePage.json().has("next"));

            // every reply record the resource manager wrote stayed under the bound
            int largest = 0;
            for (ConsumerRecord<String, byte[]> r : cms.records(Topics.ADMIN_REPLIES.topicName())) {
                largest = Math.max(largest, r.value().length);
            }
            System.out.printf("ListPagingIT: largest admin reply record %d bytes (bound %d)%n", largest, REPLY_BOUND);
            assertTrue(largest < REPLY_BOUND, largest + " bytes");
            assertTrue(largest > 100_000, "the 1000-pod page was read: " + largest);
            assertEquals(new TreeSet<>(names).size(), listed.size());
        }
    }
}
