package cms.nodedaemon.driver;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import java.util.function.Consumer;

/**
 * Docker's stream of container events: each event to {@code onEvent}; when the stream ends by itself (the
 * engine went away) the reason to {@code onEnd}, once. Closing it ourselves is not an end.
 */
final class ContainerEvents extends ResultCallback.Adapter<Event> {

    private final Consumer<Event> onEvent;
    private final Consumer<String> onEnd;
    private volatile boolean over;

    ContainerEvents(Consumer<Event> onEvent, Consumer<String> onEnd) {
        this.onEvent = onEvent;
        this.onEnd = onEnd;
    }

    @Override
    public void onNext(Event event) {
        onEvent.accept(event);
    }

    @Override
    public void onError(Throwable error) {
        ended("its event stream failed: " + DockerNodeDriver.firstLine(String.valueOf(error.getMessage())));
    }

    @Override
    public void onComplete() {
        ended("its event stream ended");
    }

    private void ended(String why) {
        if (!over) {
            over = true;
            onEnd.accept(why);
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            super.close();
        } catch (java.io.IOException e) {
            // gone already
        }
    }

    @Override
    public void close() {
        over = true;
        closeQuietly();
    }
}
