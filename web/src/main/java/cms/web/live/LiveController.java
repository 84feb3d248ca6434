package cms.web.live;

import cms.core.codec.EventCodec;
import cms.web.model.LiveEvent;
import cms.web.model.StreamCursor;
import cms.web.model.StreamFilter;
import cms.web.model.Views;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's API: snapshots of the live view ({@code /api/live...}), a pod's elasticity status, and
 * {@code /api/stream}, the server-sent events that keep a page up to date. Snapshots carry a
 * {@code cursor}: a page that opens the stream with {@code ?after=CURSOR} misses nothing in between.
 */
public final class LiveController implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveController.class);
    private static final int EVENTS_LIMIT = 1_000;

    private final LiveView live;
    private final EventCodec codec;

    public LiveController(LiveView live, EventCodec codec) {
        this.live = live;
        this.codec = codec;
    }

    public void overview(Context ctx) {
        ok(ctx, "live overview", live.read(s -> s.overview(live.now())));
    }

    public void pod(Context ctx) {
        String pod = ctx.pathParam("pod");
        Views.PodDetail detail = live.read(s -> s.pod(pod, live.now()));
        if (detail == null) {
            throw noPod(pod);
        }
        ok(ctx, "live view of pod " + pod, detail);
    }

    public void events(Context ctx) {
        StreamFilter filter = filter(ctx);
        int limit = limit(ctx.queryParam("limit"));
        ok(ctx, "recent events", live.read(s -> s.events(filter, limit)));
    }

    public void elasticity(Context ctx) {
        String pod = ctx.pathParam("pod");
        Views.ElasticityStatus status = live.read(s -> s.elasticity(pod, live.now()));
        if (status == null) {
            throw noPod(pod);
        }
        ok(ctx, "elasticity of pod " + pod, status);
    }

    /** {@code GET /api/stream}: checks the parameters, then hands the request to Javalin's SSE support. */
    public void stream(Context ctx) throws Exception {
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new HttpResponseException(406, "send Accept: text/event-stream (this is a server-sent event "
                    + "stream)", Map.of());
        }
        StreamFilter filter = filter(ctx);
        StreamCursor cursor;
        try {
            String after = ctx.queryParam("after");
            String lastEventId = ctx.header("Last-Event-ID");
            cursor = StreamCursor.of(live.read(s -> s.boot()), lastEventId != null ? lastEventId : after,
                    ctx.queryParam("since"));
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse("since: " + e.getMessage(), Map.of("field", "since"));
        }
        new SseHandler(0, client -> send(client, filter, cursor)).handle(ctx);
    }

    private void send(SseClient client, StreamFilter filter, StreamCursor cursor) {
        Subscriber sub = live.subscribe(filter, cursor);
        client.onClose(sub::end);
        String boot = live.read(s -> s.boot());
        try {
            client.sendComment("cms live stream " + boot + ", " + sub.replay().size() + " events to catch up");
            for (LiveEvent e : sub.replay()) {
                emit(client, boot, e);
            }
            while (!client.terminated() && !sub.ended()) {
                LiveEvent e = sub.poll(live.config().keepAlive());
                if (e != null) {
                    emit(client, boot, e);
                } else if (!sub.ended()) {
                    client.sendComment("keep-alive");
                }
            }
            if (sub.dropped()) {
                LOG.info("stream to {} ended: the client fell too far behind", client.ctx().ip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the client went away, or the server is stopping: the exchange is over, end this stream quietly
            LOG.debug("stream ended: {}", e.toString());
        } finally {
            live.unsubscribe(sub);
            try {
                client.close();
            } catch (RuntimeException e) {
                LOG.debug("stream already closed: {}", e.toString());
            }
        }
    }

    private void emit(SseClient client, String boot, LiveEvent e) {
        client.sendEvent(e.kind().word(), codec.toJson(e), StreamCursor.id(boot, e));
    }

    private static StreamFilter filter(Context ctx) {
        try {
            return StreamFilter.parse(ctx.queryParam("pod"), ctx.queryParam("kind"));
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse("kind: " + e.getMessage(), Map.of("field", "kind"));
        }
    }

    private static int limit(String value) {
        if (value == null) {
            return EVENTS_LIMIT;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= EVENTS_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestResponse("limit: must be a whole number from 1 to " + EVENTS_LIMIT + ", got '" + value
                + "'", Map.of("field", "limit"));
    }

    private static NotFoundResponse noPod(String pod) {
        return new NotFoundResponse("no pod named '" + pod + "'");
    }

    private void ok(Context ctx, String message, Object data) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", message);
        out.put("data", data);
        ctx.contentType("application/json").result(codec.toJson(out));
    }


    /** Ends the open streams, so that the server can stop without waiting for them. */
    @Override
    public void close() {
        live.endStreams();
    }
}
