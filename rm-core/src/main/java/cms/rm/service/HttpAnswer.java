package cms.rm.service;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 answer read from a connection: its status, its headers (names in lower case, the first value of
 * each), and its body kept up to a limit (the rest is read and counted, not kept, so a workload that answers with
 * gigabytes costs the resource manager at most the limit per job). The body's end is its Content-Length, its last
 * chunk, or the connection's end; {@code reusable} says whether the connection may carry the next request.
 */
record HttpAnswer(int status, Map<String, String> headers, byte[] kept, long total, boolean reusable) {

    /** The longest status line or header line read (an answer with a longer one is refused as broken). */
    static final int MAX_LINE = 16 * 1024;

    boolean truncated() {
        return total > kept.length;
    }

    /** Reads one answer; an IOException for a connection that ends early or an answer that is not HTTP/1.x. */
    static HttpAnswer read(InputStream in, int limit) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new EOFException("the connection ended before an answer");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            throw new IOException("not an HTTP/1.x answer: " + statusLine);
        }
        Map<String, String> headers = new HashMap<>();
        for (String h; !(h = require(line(in))).isEmpty(); ) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
        }
        boolean http11 = parts[0].equals("HTTP/1.1");
        String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        boolean keepAlive = http11 ? !connection.contains("close") : connection.contains("keep-alive");
        Body body = new Body(limit);
        String length = headers.get("content-length");
        int status = Integer.parseInt(parts[1]);
        boolean bodiless = status == 204 || status == 304 || status / 100 == 1;
        if (bodiless) {
            return new HttpAnswer(status, headers, new byte[0], 0, keepAlive);
        }
        if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            chunked(in, body);
        } else if (length != null) {
            body.copy(in, parseLength(length));
        } else {
            body.copy(in, Long.MAX_VALUE); // to the connection's end
            keepAlive = false;
        }
        return new HttpAnswer(status, headers, body.kept.toByteArray(), body.total, keepAlive);
    }

    private static long parseLength(String value) throws IOException {
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new IOException("negative Content-Length: " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length: " + value);
        }
    }

    private static void chunked(InputStream in, Body body) throws IOException {
        while (true) {
            String sizeLine = require(line(in));
            int semi = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + sizeLine);
            }
            if (size == 0) {
                while (!require(line(in)).isEmpty()) {
                    // trailers: skipped
                }
                return;
            }
            body.copy(in, size);
            if (!require(line(in)).isEmpty()) {
                throw new IOException("a chunk did not end with CRLF");
            }
        }
    }

    private static String require(String line) throws EOFException {
        if (line == null) {
            throw new EOFException("the connection ended in the middle of an answer");
        }
        return line;
    }

    /** A line without its CRLF (or LF); null at the connection's end before any byte. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = out.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (out.size() >= MAX_LINE) {
                throw new IOException("a header line of over " + MAX_LINE + " bytes");
            }
            out.write(b);
        }
        if (out.size() > 0) {
            throw new EOFException("the connection ended in the middle of a line");
        }
        return null;
    }

    /** A body's bytes: the first {@code limit} kept, all counted. */
    private static final class Body {
        final int limit;
        final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long total;
        final byte[] buffer = new byte[8192];

        Body(int limit) {
            this.limit = limit;
        }

        /** Reads {@code n} bytes (to the end when {@code n} is Long.MAX_VALUE). */
        void copy(InputStream in, long n) throws IOException {
            long left = n;
            while (left > 0) {
                int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (r == -1) {
                    if (n == Long.MAX_VALUE) {
                        return;
                    }
                    throw new EOFException("the connection ended " + left + " bytes before the body's end");
                }
                total += r;
                left -= r;
                int room = limit - kept.size();
                if (room > 0) {
                    kept.write(buffer, 0, Math.min(room, r));
                }
            }
        }
    }
}
