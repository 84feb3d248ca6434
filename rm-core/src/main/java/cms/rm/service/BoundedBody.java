package cms.rm.service;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An HTTP answer's body kept up to a limit: the rest is read and counted but not kept, so a workload that
 * answers with gigabytes costs the resource manager at most {@code limit} bytes per job.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<BoundedBody.Body> {

    /** The first {@code kept} bytes of a body of {@code total} bytes. */
    record Body(byte[] kept, long total) {
        boolean truncated() {
            return total > kept.length;
        }
    }

    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private long total;

    BoundedBody(int limit) {
        this.limit = limit;
    }

    static HttpResponse.BodyHandler<Body> handler(int limit) {
        return info -> new BoundedBody(limit);
    }

    @Override
    public CompletionStage<Body> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer b : buffers) {
            int n = b.remaining();
            total += n;
            int room = limit - kept.size();
            if (room > 0) {
                byte[] chunk = new byte[Math.min(room, n)];
                b.get(chunk);
                kept.write(chunk, 0, chunk.length);
            }
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(new Body(kept.toByteArray(), total));
    }
}
