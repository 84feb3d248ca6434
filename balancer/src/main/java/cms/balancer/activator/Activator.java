package cms.balancer.activator;

import cms.balancer.HttpRelay;
import cms.balancer.model.Member;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knative's activator, for CMS: the backup server of every pod that scales from zero. A pod's balancer sends a
 * request here only when none of the pod's nodes serves, naming the pod in {@value #POD_HEADER}. The request waits
 * in the {@link WaitingRoom} (whose count the balancer reports at once, so the elasticity service asks for a node)
 * until the pod has an ONLINE node, and is then passed to that node directly (not through the pod's frontend
 * again, which could send it back here while the frontend's own checks still find the node down). Past the hold
 * limit it gets a 503 with the reason. It listens on loopback only: its callers are the HAProxy processes and the
 * embedded proxies of this balancer.
 */
public final class Activator extends Handler.Abstract implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Activator.class);
    /** The header that names the pod a held request is for (set by the pod's balancer). */
    public static final String POD_HEADER = "X-Cms-Pod";
    private static final String LOOPBACK = "127.0.0.1";

    private final WaitingRoom room;
    private final HttpClient client;
    private final Duration hold;
    private final Duration serverTimeout;
    private final Server server;
    private final ServerConnector connector;

    /** {@code hold}: how long a request waits for a node; {@code serverTimeout}: how long the node has to answer. */
    public Activator(WaitingRoom room, Duration hold, Duration serverTimeout, int port) {
        this.room = room;
        this.hold = hold;
        this.serverTimeout = serverTimeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1))
                .build();
        // every held request keeps a thread: more than can wait, plus Jetty's own
        QueuedThreadPool threads = new QueuedThreadPool(WaitingRoom.MAX_WAITING + 32, 4);
        threads.setName("cms-activator");
        threads.setDaemon(true);
        this.server = new Server(threads);
        this.connector = new ServerConnector(server);
        connector.setHost(LOOPBACK);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(this);
    }

    public Activator open() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the activator cannot listen on " + LOOPBACK + ":" + connector.getPort()
                    + ": " + e.getMessage(), e);
        }
        LOG.info("activator on {}: requests to pods at 0 nodes wait up to {} ms for a node", endpoint(),
                hold.toMillis());
        return this;
    }

    /** Where the balancers send held requests: {@code 127.0.0.1:port}. */
    public String endpoint() {
        return LOOPBACK + ":" + connector.getLocalPort();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String pod = request.getHeaders().get(POD_HEADER);
        if (pod == null || pod.isBlank()) {
            HttpRelay.error(response, callback, 400, "no " + POD_HEADER + " header: the activator holds requests "
                    + "that a pod's balancer sends it");
            return true;
        }
        Optional<CompletableFuture<Member>> ticket = room.hold(pod);
        if (ticket.isEmpty()) {
            HttpRelay.error(response, callback, 503, "pod " + pod + " has no node in service and "
                    + WaitingRoom.MAX_WAITING + " requests already wait for nodes to start");
            return true;
        }
        Member node;
        try {
            node = ticket.get().get(hold.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            room.leave(pod, ticket.get());
            HttpRelay.error(response, callback, 503, "pod " + pod + " has no node in service: none became ONLINE "
                    + "within " + hold.toMillis() + " ms of waiting");
            return true;
        } catch (ExecutionException e) {
            HttpRelay.error(response, callback, 503, e.getCause().getMessage());
            return true;
        } catch (InterruptedException e) {
            room.leave(pod, ticket.get());
            Thread.currentThread().interrupt();
            HttpRelay.error(response, callback, 503, "interrupted");
            return true;
        }
        pass(request, response, callback, pod, node);
        return true;
    }

    private void pass(Request request, Response response, Callback callback, String pod, Member node) {
        try {
            HttpResponse<InputStream> r = client.send(HttpRelay.forward(request, node.address(), node.port(),
                    new HttpRelay.RequestBody(request), serverTimeout), HttpResponse.BodyHandlers.ofInputStream());
            HttpRelay.relay(response, callback, r);
        } catch (IOException e) {
            HttpRelay.error(response, callback, 502, "pod " + pod + ": node " + node.node() + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            HttpRelay.error(response, callback, 503, "interrupted");
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("activator did not stop cleanly: {}", e.toString());
        }
    }
}
