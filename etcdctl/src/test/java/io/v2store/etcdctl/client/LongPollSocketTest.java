package io.v2store.etcdctl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.v2store.testkit.TcpSockets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LongPollSocketTest {

    /**
     * A member that vanishes (power lost, a partition) never closes a parked watch's connection;
     * Go's client finds out by TCP keep-alive and moves to the next endpoint. Ours had no
     * keep-alive, so `etcdctl watch` and `exec-watch` waited for good.
     */
    @Test
    void aParkedWatchsConnectionIsProbedAsGosIs() throws Exception {
        assumeTrue(TcpSockets.readable(), "Linux's /proc/net/tcp shows timers");
        try (ServerSocket member = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            final CompletableFuture<V2Reply> watch = longPoll("http", member.getLocalPort());
            try (Socket parked = member.accept()) {
                final String request = readRequest(parked.getInputStream());
                assertTrue(request.startsWith("GET /v2/keys/quiet?wait=true HTTP/1.1\r\n"), request);
                assertProbedWithin30s(member.getLocalPort(), parked.getPort(), "the watch's connection");

                final OutputStream out = parked.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Etcd-Index: 7\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                final String event = "{\"action\":\"set\",\"node\":{\"key\":\"/quiet\",\"value\":\"v\"}}\n";
                out.write((Integer.toHexString(event.length()) + "\r\n" + event + "\r\n0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                final V2Reply reply = watch.get(20, TimeUnit.SECONDS);
                assertEquals(200, reply.status());
                assertEquals(7, reply.etcdIndex());
                assertEquals(event, reply.body());
            }
        }
    }

    /**
     * The same over https, where the long poll goes through HttpsURLConnection with a socket
     * factory that turns keep-alive on. The member here never answers the TLS handshake: the
     * connection is open and idle, which is all the probe needs.
     */
    @Test
    void anHttpsWatchsConnectionIsProbedToo() throws Exception {
        assumeTrue(TcpSockets.readable(), "Linux's /proc/net/tcp shows timers");
        try (ServerSocket member = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            final CompletableFuture<V2Reply> watch = longPoll("https", member.getLocalPort());
            try (Socket parked = member.accept()) {
                assertProbedWithin30s(member.getLocalPort(), parked.getPort(), "the https watch's connection");
            }
            // the handshake cut short ends the watch with an error, not a hang
            org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> watch.get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void anAnswerWithALengthIsReadWhole() throws IOException {
        final String body = "{\"errorCode\":401,\"message\":\"The event in requested index is outdated and cleared\"}\n";
        final V2Reply reply = LongPollSocket.read(stream("HTTP/1.1 400 Bad Request\r\nX-Etcd-Index: 2000\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body + "left on the wire"));
        assertEquals(400, reply.status());
        assertEquals(2000, reply.etcdIndex());
        assertEquals(body, reply.body());
    }

    @Test
    void chunksWithExtensionsAndBareLineFeedsAreJoined() throws IOException {
        final V2Reply reply = LongPollSocket.read(stream(
                "HTTP/1.1 200 OK\ntransfer-encoding: chunked\n\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
        assertEquals("abcde", reply.body());
    }

    @Test
    void aConnectionClosedBeforeAnyAnswerIsGosEof() {
        final IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> LongPollSocket.read(stream("")));
        assertEquals("Unexpected end of file from server", e.getMessage());
    }

    @Test
    void anAnswerCutInsideItsBodyIsAnError() {
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> LongPollSocket.read(
                stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nshort")));
    }

    /** A watch's long poll to 127.0.0.1:port over scheme, on a thread of its own. */
    private static CompletableFuture<V2Reply> longPoll(String scheme, int port) {
        final HttpTransport transport = new HttpTransport(
                List.of(scheme + "://127.0.0.1:" + port), 1_000, null, null);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return transport.send(V2Request.get("/v2/keys/quiet", "wait=true").asLongPoll());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Waits (20 s at most) for the keep-alive timer on the client's side of that connection, and
     * checks it fires within Go's 30 s, not the kernel's two hours.
     */
    private static void assertProbedWithin30s(int serverPort, int clientPort, String what) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        TcpSockets.Entry socket = null;
        while (System.nanoTime() < deadline) {
            // the client's end: from clientPort to serverPort
            socket = TcpSockets.connection(clientPort, serverPort);
            if (socket != null && socket.timer() == TcpSockets.TIMER_KEEPALIVE) {
                break;
            }
            Thread.sleep(10);
        }
        if (socket == null || socket.timer() != TcpSockets.TIMER_KEEPALIVE) {
            fail("no keep-alive timer on " + what + ": " + (socket == null ? "not listed" : "timer " + socket.timer()));
        }
        // clock ticks (USER_HZ, 100 a second) until the first probe
        assertTrue(socket.ticksLeft() > 0 && socket.ticksLeft() <= 30 * 100, "first probe within 30 s: " + socket.ticksLeft());
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String readRequest(InputStream in) throws IOException {
        final StringBuilder request = new StringBuilder();
        while (!request.toString().endsWith("\r\n\r\n")) {
            final int b = in.read();
            if (b < 0) {
                break;
            }
            request.append((char) b);
        }
        return request.toString();
    }
}
