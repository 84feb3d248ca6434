package cms.balancer.embedded;

import cms.balancer.HttpRelay;
import cms.balancer.activator.Activator;
import cms.core.model.JobTimeLimit;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The proxying of one embedded pool: each request goes to the next serving slot in turn; a failed GET
 * or HEAD is retried on another slot up to three times (any method when its connection could not even
 * be made and none of its body went out); 503 with a clear body when no slot serves. Bodies stream in
 * both directions in chunks of {@value HttpRelay#CHUNK} bytes, never held whole. The node has the ordinary server
 * timeout to answer, or the job's own limit when the request brings one in {@value JobTimeLimit#HEADER}
 * (capped at {@value JobTimeLimit#MAX_SECONDS} s); past it a POST gets 504, as from HAProxy. A pod that scales
 * from zero has no 503 for want of a slot: its request goes to the activator (HAProxy's backup server).
 */
final class EmbeddedProxyHandler extends Handler.Abstract {

    private static final int RETRIES = 3;

    private final EmbeddedPool pool;
    private final HttpClient client;
    private final Duration serverTimeout;

    EmbeddedProxyHandler(EmbeddedPool pool, HttpClient client, Duration serverTimeout) {
        this.pool = pool;
        this.client = client;
        this.serverTimeout = serverTimeout;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        pool.requests.incrementAndGet();
        long t0 = System.nanoTime();
        Duration timeout = JobTimeLimit.requested(request.getHeaders().get(JobTimeLimit.HEADER)).orElse(serverTimeout);
        HttpRelay.RequestBody body = new HttpRelay.RequestBody(request);
        boolean idempotent = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
        Set<EmbeddedSlot> tried = new HashSet<>();
        boolean timedOut = false;
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            EmbeddedSlot slot = pool.pick(tried);
            if (slot == null) {
                break;
            }
            tried.add(slot);
            slot.sessions.incrementAndGet();
            try {
                HttpResponse<InputStream> r = client.send(HttpRelay.forward(request, slot.address, slot.port, body, timeout),
                        HttpResponse.BodyHandlers.ofInputStream());
                slot.responses.incrementAndGet();
                if (r.statusCode() >= 500) {
                    slot.errors.incrementAndGet();
                    if (idempotent && r.statusCode() != 501 && attempt < RETRIES) {
                        r.body().close();
                        continue;
                    }
                }
                HttpRelay.relay(response, callback, r);
                pool.record((System.nanoTime() - t0) / 1e6);
                return true;
            } catch (IOException e) {
                slot.errors.incrementAndGet();
                timedOut = e instanceof HttpTimeoutException && !(e instanceof HttpConnectTimeoutException);
                boolean notSent = !body.started()
                        && (e instanceof ConnectException || e.getCause() instanceof ConnectException
                        || e instanceof HttpConnectTimeoutException);
                if (!idempotent && !notSent) {
                    fail(response, callback, timedOut ? 504 : 502, "node " + slot.address + ":" + slot.port
                            + (timedOut ? " did not answer within " + timeout.toMillis() + " ms" : " failed: " + e));
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(response, callback, 503, "interrupted");
                return true;
            } finally {
                slot.sessions.decrementAndGet();
            }
        }
        if (tried.isEmpty() && pool.spec.activator() != null) {
            return toActivator(request, response, callback, body, timeout);
        }
        if (timedOut) {
            fail(response, callback, 504, "no node of pod " + pool.spec.pod() + " answered within "
                    + timeout.toMillis() + " ms");
        } else {
            fail(response, callback, 503, "pod " + pool.spec.pod() + " has no node in service: it is paused, or none "
                    + "of its nodes is ONLINE");
        }
        return true;
    }

    /**
     * No slot serves a pod that scales from zero: the request goes to the activator, as HAProxy sends it to its
     * backup server, and waits there for the pod's first node.
     */
    private boolean toActivator(Request request, Response response, Callback callback, HttpRelay.RequestBody body,
                                Duration timeout) {
        String[] at = pool.spec.activator().split(":");
        try {
            HttpRequest forward = HttpRequest.newBuilder(HttpRelay.forward(request, at[0], Integer.parseInt(at[1]), body,
                    timeout), (n, v) -> true).setHeader(Activator.POD_HEADER, pool.spec.pod()).build();
            HttpRelay.relay(response, callback, client.send(forward, HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            fail(response, callback, 503, "pod " + pool.spec.pod() + " has no node in service and its activator "
                    + "failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(response, callback, 503, "interrupted");
        }
        return true;
    }

    private void fail(Response response, Callback callback, int status, String message) {
        pool.errors.incrementAndGet();
        HttpRelay.error(response, callback, status, message);
    }

}
