package cms.web.live;

import cms.core.model.Refusal;
import cms.web.ApiErrors;
import cms.web.ApiJson;
import cms.web.model.LiveEvent;
import cms.web.model.StreamCursor;
import cms.web.model.StreamFilter;
import cms.web.model.Views;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's API: snapshots of the live view ({@code /api/live...}), a pod's elasticity status, and
 * {@code /api/stream}, the server-sent events that keep a page up to date. Snapshots carry a
 * {@code cursor}: a page that opens the stream with {@code ?after=CURSOR} misses nothing in between. Every answer
 * and every streamed event is JSON in the API's spelling ({@link ApiJson}).
 */
public final class LiveController implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveController.class);
    private static final int EVENTS_LIMIT = 1_000;

    private final LiveView live;
    private final ApiJson api;

    public LiveController(LiveView live, ApiJson api) {
        this.live = live;
        this.api = api;
    }

    /** Whether the live view has read the pod (a quick answer; a pod just made may not be read yet). */
    public boolean knows(String pod) {
        return live.read(s -> s.hasPod(pod));
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
        String after = ctx.queryParam("after");
        Views.Events events = live.read(s -> s.events(filter, after == null ? null : cursor(s.boot(), after), limit));
        Map<String, Object> out = answer("recent events", events);
        if (events.next() != null) {
            out.put("next", events.next());
        }
        ctx.contentType("application/json").result(api.write(out));
    }

    /** An event id as the stream's ({@code BOOT.SEQ.TS}): where a page of events starts after. */
    private static StreamCursor cursor(String boot, String after) {
        StreamCursor c = StreamCursor.of(boot, after, null);
        if (c.live()) {
            throw ApiErrors.refuse(Refusal.badField("after", "'" + after + "' is not an event id (a cursor or next "
                    + "of this route, or an id of /api/stream)"));
        }
        return c;
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
            throw ApiErrors.refuse(new Refusal(406, null, "send Accept: text/event-stream (this is a server-sent "
                    + "event stream)"));
        }
        StreamFilter filter = filter(ctx);
        StreamCursor cursor;
        try {
            String after = ctx.queryParam("after");
            String lastEventId = ctx.header("Last-Event-ID");
            cursor = StreamCursor.of(live.read(s -> s.boot()), lastEventId != null ? lastEventId : after,
                    ctx.queryParam("since"));
        } catch (IllegalArgumentException e) {
            throw ApiErrors.refuse(Refusal.badField("since", e.getMessage()));
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
        client.sendEvent(e.kind().word(), api.write(e), StreamCursor.id(boot, e));
    }

    private static StreamFilter filter(Context ctx) {
        try {
            return StreamFilter.parse(ctx.queryParam("pod"), ctx.queryParam("kind"));
        } catch (IllegalArgumentException e) {
            throw ApiErrors.refuse(Refusal.badField("kind", e.getMessage()));
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
        throw ApiErrors.refuse(Refusal.badField("limit", "must be a whole number from 1 to " + EVENTS_LIMIT
                + ", got '" + value + "'"));
    }

    private static HttpResponseException noPod(String pod) {
        return ApiErrors.refuse(Refusal.unknownPod(pod));
    }

    private static Map<String, Object> answer(String message, Object data) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", message);
        out.put("data", data);
        return out;
    }

    private void ok(Context ctx, String message, Object data) {
        ctx.contentType("application/json").result(api.write(answer(message, data)));
    }


    /** Ends the open streams, so that the server can stop without waiting for them. */
    @Override
    public void close() {
        live.endStreams();
    }
}
