package cms.rm.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Answers as HAProxy and the workloads send them: by length, chunked, to the connection's end, over the limit. */
class HttpAnswerTest {

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String text(HttpAnswer a) {
        return new String(a.kept(), StandardCharsets.UTF_8);
    }

    @Test
    void aBodyByLengthLeavesTheNextAnswerOnTheConnection() throws IOException {
        InputStream in = bytes("HTTP/1.1 200 OK\r\nContent-Length: 7\r\nX-CMS-Node: jb1\r\n\r\n{\"a\":1}"
                + "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 2\r\nConnection: close\r\n\r\nno");

        HttpAnswer first = HttpAnswer.read(in, 1024);
        HttpAnswer second = HttpAnswer.read(in, 1024);

        assertEquals(200, first.status());
        assertEquals("{\"a\":1}", text(first));
        assertEquals("jb1", first.headers().get("x-cms-node"));
        assertTrue(first.reusable());
        assertEquals(503, second.status());
        assertEquals("no", text(second));
        assertFalse(second.reusable(), "Connection: close");
    }

    @Test
    void aChunkedBodyIsJoinedAndItsTrailersSkipped() throws IOException {
        HttpAnswer a = HttpAnswer.read(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\n{\"ok\r\n5;ext=1\r\n\":tr}\r\n0\r\nX-Trailer: 1\r\n\r\n"), 1024);

        assertEquals("{\"ok\":tr}", text(a));
        assertEquals(9, a.total());
        assertTrue(a.reusable());
    }

    @Test
    void aBodyOverTheLimitIsCountedNotKept() throws IOException {
        String body = "x".repeat(10_000);
        HttpAnswer a = HttpAnswer.read(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n" + body), 100);

        assertEquals(100, a.kept().length);
        assertEquals(10_000, a.total());
        assertTrue(a.truncated());
    }

    @Test
    void withoutLengthTheBodyEndsWithTheConnectionWhichIsNotKept() throws IOException {
        HttpAnswer a = HttpAnswer.read(bytes("HTTP/1.0 200 OK\r\n\r\nall of it"), 1024);

        assertEquals("all of it", text(a));
        assertFalse(a.reusable());
    }

    @Test
    void noContentHasNoBody() throws IOException {
        InputStream in = bytes("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        assertEquals(204, HttpAnswer.read(in, 10).status());
        assertEquals(200, HttpAnswer.read(in, 10).status());
    }

    @Test
    void brokenAnswersAreErrors() {
        assertThrows(EOFException.class, () -> HttpAnswer.read(bytes(""), 10), "closed before an answer");
        assertThrows(IOException.class, () -> HttpAnswer.read(bytes("SSH-2.0-x\r\n\r\n"), 10));
        assertThrows(EOFException.class, () -> HttpAnswer.read(bytes("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab"), 10));
        assertThrows(IOException.class, () -> HttpAnswer.read(bytes("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"), 10));
        assertThrows(IOException.class, () -> HttpAnswer.read(bytes("HTTP/1.1 200 OK\r\n" + "a".repeat(20_000)), 10));
    }
}
