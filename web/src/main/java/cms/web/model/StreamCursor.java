package cms.web.model;

import java.util.Optional;

/**
 * Where a stream client resumes. An event's id is {@code BOOT.SEQ.TS}: the web process that numbered it,
 * its sequence number there and its record's timestamp (epoch ms). A client coming back to the same
 * process resumes after SEQ; a client coming back to a restarted process (another BOOT) resumes from TS,
 * less a margin for records of other partitions that were still on their way, and drops by event id
 * what it already has.
 */
public record StreamCursor(Long afterSeq, Long sinceTs) {

    /** How far back of a foreign id's timestamp a restarted process replays. */
    public static final long FOREIGN_MARGIN_MS = 5_000;
    public static final StreamCursor LIVE = new StreamCursor(null, null);

    public static String id(String boot, LiveEvent e) {
        return boot + "." + e.seq() + "." + e.ts();
    }

    /**
     * From the {@code Last-Event-ID} header (wins when given) or the {@code since} parameter (epoch ms);
     * neither: live only.
     *
     * @throws IllegalArgumentException when {@code since} is not a number
     */
    public static StreamCursor of(String boot, String lastEventId, String since) {
        if (lastEventId != null && !lastEventId.isBlank()) {
            Optional<StreamCursor> c = parseId(boot, lastEventId.trim());
            if (c.isPresent()) {
                return c.get();
            }
        }
        if (since != null && !since.isBlank()) {
            try {
                return new StreamCursor(null, Long.parseLong(since.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a time in epoch milliseconds: '" + since + "'");
            }
        }
        return LIVE;
    }

    private static Optional<StreamCursor> parseId(String boot, String id) {
        String[] parts = id.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            long seq = Long.parseLong(parts[1]);
            long ts = Long.parseLong(parts[2]);
            return Optional.of(parts[0].equals(boot) ? new StreamCursor(seq, null)
                    : new StreamCursor(null, ts - FOREIGN_MARGIN_MS));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean live() {
        return afterSeq == null && sinceTs == null;
    }

    public boolean wants(LiveEvent e) {
        if (afterSeq != null) {
            return e.seq() > afterSeq;
        }
        return sinceTs != null && e.ts() >= sinceTs;
    }
}
