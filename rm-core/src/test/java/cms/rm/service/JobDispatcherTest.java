package cms.rm.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.rm.model.JobBook;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher against a real HTTP server on loopback that holds each call until the test lets it go: per pod
 * at most its slots run at once, the jobs beyond wait and go the moment a call ends, a waiting job that is
 * cancelled is never sent, and the jobs handed over count as in flight whether sent or waiting.
 */
class JobDispatcherTest {

    private HttpServer server;
    private final List<String> arrived = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private volatile CountDownLatch release = new CountDownLatch(1);
    private JobDispatcher dispatcher;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/job", exchange -> {
            int now = running.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            arrived.add(exchange.getRequestHeaders().getFirst("X-CMS-Job"));
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-CMS-Node", "n1");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        dispatcher = new JobDispatcher(new ObjectMapper(), "127.0.0.1", Duration.ofSeconds(10), 1024);
    }

    @AfterEach
    void stop() {
        release.countDown();
        dispatcher.close();
        server.stop(0);
    }

    private void send(String id) {
        dispatcher.send(new JobBook.Job(id, "p", null, JobBook.Status.RUNNING, 1, null, null, "test", Instant.EPOCH),
                1, server.getAddress().getPort(), "/job");
    }

    private List<JobDispatcher.Completion> awaitAnswers(int count) {
        List<JobDispatcher.Completion> out = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            out.addAll(dispatcher.drain());
            return out.size() >= count;
        });
        return out;
    }

    @Test
    void atMostTheSlotsRunAtOnceAndTheRestGoAsCallsEnd() throws Exception {
        AtomicInteger woken = new AtomicInteger();
        dispatcher.onAnswer(woken::incrementAndGet);
        dispatcher.slots(Map.of("p", 2));
        for (int i = 1; i <= 5; i++) {
            send("j" + i);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> arrived.size() >= 2);
        assertEquals(Set.of("j1", "j2", "j3", "j4", "j5"), dispatcher.inFlight(), "sent or waiting: all in flight");
        assertEquals(Set.of("j1", "j2"), Set.copyOf(arrived), "two slots: the first two handed over are sent");

        release.countDown();
        List<JobDispatcher.Completion> answers = awaitAnswers(5);
        assertEquals(5, answers.size(), "every job answered: " + answers);
        answers.forEach(a -> assertInstanceOf(JobBook.Answer.Done.class, a.answer()));
        assertEquals(Set.of("j1", "j2", "j3", "j4", "j5"), Set.copyOf(arrived));
        assertEquals(5, arrived.size(), "each sent once");
        assertTrue(mostAtOnce.get() <= 2, "at most the pod's slots at once, were " + mostAtOnce.get());
        assertEquals(Set.of(), dispatcher.inFlight());
        assertEquals(5, woken.get(), "the loop is woken once per answer");
    }

    @Test
    void aCancelledWaitingJobIsNeverSentAndMoreSlotsSendMoreAtOnce() throws Exception {
        dispatcher.slots(Map.of("p", 1));
        send("a");
        send("b");
        send("c");
        await().atMost(Duration.ofSeconds(10)).until(() -> !arrived.isEmpty());
        dispatcher.cancel("b");
        assertEquals(Set.of("a", "c"), dispatcher.inFlight());
        dispatcher.slots(Map.of("p", 3)); // a second slot: c goes now, while a still runs
        await().atMost(Duration.ofSeconds(10)).until(() -> arrived.size() >= 2);
        assertEquals(List.of("a", "c"), List.copyOf(arrived));
        assertEquals(2, running.get(), "a and c run at once");
        release.countDown();
        List<JobDispatcher.Completion> answers = awaitAnswers(2);
        assertEquals(Set.of("a", "c"), Set.copyOf(answers.stream().map(JobDispatcher.Completion::jobId).toList()));
        assertEquals(List.of("a", "c"), List.copyOf(arrived), "b was never sent");
    }
}
