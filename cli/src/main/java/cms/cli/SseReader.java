package cms.cli;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Server-sent events read from their text, as the event-stream format has them: lines of {@code field: value}, an
 * event dispatched at each blank line with the {@code data} lines it gathered (joined by newlines), its {@code event}
 * name ({@code message} when none) and the last {@code id} given so far; a line starting with {@code :} is a comment.
 */
final class SseReader {

    /** What the stream brings, in order. */
    interface Listener {
        /** An event; false when the listener wants no more (the reading stops there). */
        boolean event(String id, String name, String data);

        void comment(String text);
    }

    private SseReader() {
    }

    /** Reads {@code in} to its end, or until the listener wants no more, telling it each event and comment as it comes. */
    static void read(BufferedReader in, Listener listener) throws IOException {
        String id = null;
        String name = null;
        StringBuilder data = null;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) {
                if (data != null && data.length() > 0 // an event without data is none
                        && !listener.event(id, name == null ? "message" : name, data.toString())) {
                    return;
                }
                name = null;
                data = null;
            } else if (line.startsWith(":")) {
                listener.comment(value(line.substring(1)));
            } else {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : value(line.substring(colon + 1));
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> name = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> { } // retry, and fields the format does not know: nothing this client uses
                }
            }
        }
    }

    /** A field's value: what follows the colon, less one space if one comes first. */
    private static String value(String afterColon) {
        return afterColon.startsWith(" ") ? afterColon.substring(1) : afterColon;
    }
}
