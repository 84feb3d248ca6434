package cms.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A table that is watched, as {@code kubectl get -w} prints one: the header and the rows first, then, for each new
 * version of the rows, the rows that are new or changed, and the last row of each one that is gone with its last
 * cell saying so; all in the first table's column widths (a wider cell widens its column from then on). Rows are
 * known by their first cell.
 */
final class WatchTable {

    static final String GONE = "removed";

    private final List<String> header;
    private final Map<String, List<String>> shown = new LinkedHashMap<>();
    private int[] widths;

    WatchTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    /** The lines of the first table: the header, then every row. */
    List<String> first(List<List<String>> rows) {
        widths = Tables.widths(header, rows);
        List<String> lines = new ArrayList<>();
        lines.add(Tables.line(header, widths));
        for (List<String> row : rows) {
            shown.put(row.get(0), row);
            lines.add(Tables.line(row, widths));
        }
        return lines;
    }

    /** The lines for this version of the rows: each new or changed row, then each gone row (empty: no change). */
    List<String> next(List<List<String>> rows) {
        List<List<String>> changed = new ArrayList<>();
        Map<String, List<String>> now = new LinkedHashMap<>();
        for (List<String> row : rows) {
            now.put(row.get(0), row);
            if (!Objects.equals(shown.get(row.get(0)), row)) {
                changed.add(row);
            }
        }
        for (Map.Entry<String, List<String>> was : shown.entrySet()) {
            if (!now.containsKey(was.getKey())) {
                List<String> gone = new ArrayList<>(was.getValue());
                gone.set(gone.size() - 1, GONE);
                changed.add(gone);
            }
        }
        shown.clear();
        shown.putAll(now);
        int[] wider = Tables.widths(header, changed);
        for (int i = 0; i < widths.length; i++) {
            widths[i] = Math.max(widths[i], wider[i]);
        }
        return changed.stream().map(row -> Tables.line(row, widths)).toList();
    }
}
