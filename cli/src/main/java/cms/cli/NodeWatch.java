package cms.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code cloud node ls [POD] --watch}: the nodes' table, then each node that changes, as the live stream tells.
 *
 * <p>The stream of pod records ({@code kind=pods}, of POD alone when it is given) is opened first; each record is the
 * resource manager's new state of a pod, written after every change of it or of its nodes. On each (those that come
 * together taken as one) the client lists the nodes again through the API, the same list {@code cloud node ls}
 * prints, and prints the rows that changed ({@link WatchTable}); with {@code --json}, the API's whole answer again.
 * The stream is asked for nothing else: no key of its records is read. It ends with Ctrl-C, or when the stream
 * ends (exit 3, one line on stderr saying so), or at an error of the API (as {@code node ls} would end).
 */
final class NodeWatch {

    /** How long the stream may take to say it has subscribed this client. */
    private static final Duration GREETING = Duration.ofSeconds(10);

    private final CloudCommand cloud;
    private final String pod;
    private final WatchTable table = new WatchTable(Tables.NODE_HEADER);

    /** Watches the nodes of {@code pod} (null: of every pod). */
    NodeWatch(CloudCommand cloud, String pod) {
        this.cloud = cloud;
        this.pod = pod;
    }

    private String listPath() {
        return pod == null ? "/api/nodes" : "/api/pods/" + ApiClient.segment(pod) + "/nodes";
    }

    /** Runs until the stream ends or the API fails; its exit code. */
    int run() throws InterruptedException {
        ApiClient api = cloud.api();
        String url = StreamEvents.url(api.baseUrl(), "pods", pod);
        BlockingQueue<Optional<StreamClient.Event>> changes = new LinkedBlockingQueue<>();
        try (StreamClient stream = new StreamClient(url, api.token(), null, e -> changes.add(Optional.of(e)),
                () -> changes.add(Optional.empty()))) {
            if (!stream.awaitGreeting(GREETING)) {
                cloud.err.println("cloud: the live stream at " + url + " " + (stream.ended() ? "ended at once: "
                        + stream.endReason() : "said nothing within " + GREETING.toSeconds() + " s"));
                return CloudCommand.UNAVAILABLE;
            }
            int code = list(true);
            while (code == 0) {
                List<Optional<StreamClient.Event>> came = new ArrayList<>(List.of(changes.take()));
                changes.drainTo(came);
                if (came.stream().anyMatch(Optional::isPresent)) {
                    code = list(false);
                }
                if (code == 0 && came.contains(Optional.<StreamClient.Event>empty())) {
                    cloud.err.println("cloud: the live stream ended (" + stream.endReason() + ")");
                    return CloudCommand.UNAVAILABLE;
                }
            }
            return code;
        } catch (StreamClient.RefusedException e) {
            return cloud.refused(api.response(e.status(), e.body()));
        } catch (java.net.ConnectException e) {
            cloud.err.println("cloud: cannot reach the CMS API at " + api.baseUrl() + " (is `cms dev` running?)");
            return CloudCommand.UNAVAILABLE;
        } catch (IOException e) {
            cloud.err.println("cloud: cannot follow the live stream at " + url + ": " + e);
            return CloudCommand.UNAVAILABLE;
        }
    }

    /** Lists the nodes through the API and prints the first table, or what changed since the last list. */
    private int list(boolean first) {
        return cloud.execute(api -> api.getAll(listPath()), (out, data) -> {
            List<List<String>> rows = Tables.nodeRows(data);
            (first ? table.first(rows) : table.next(rows)).forEach(out::println);
            out.flush();
        });
    }
}
