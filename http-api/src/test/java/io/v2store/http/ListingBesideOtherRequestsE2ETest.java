package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A large listing takes a while to encode (100,000 keys: 18 MB, tens of milliseconds and more on
 * a loaded machine). Encoded on its connection's event loop, it held up every other connection
 * of that loop: a /health, a small GET or a write's answer beside listings waited hundreds of
 * milliseconds.
 */
class ListingBesideOtherRequestsE2ETest {
  /** Holds the next answers being encoded (their reads of the clock) until released. */
  private static final class HoldingClock extends Clock {
    final AtomicInteger toHold = new AtomicInteger();
    final AtomicInteger toFail = new AtomicInteger();
    final Semaphore held = new Semaphore(0);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public Instant instant() {
      if (toFail.get() > 0 && encodingAnAnswer() && toFail.getAndDecrement() > 0) {
        throw new OutOfMemoryError("Cannot reserve 16777216 bytes of direct buffer memory");
      }
      if (toHold.get() > 0 && encodingAnAnswer() && toHold.getAndDecrement() > 0) {
        held.release();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Instant.now();
    }

    private static boolean encodingAnAnswer() {
      return StackWalker.getInstance().walk(frames -> frames.anyMatch(
          f -> f.getClassName().equals(KeysResponses.class.getName())));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Test
  void smallRequestsAndWritesAreAnsweredWhileListingsAreEncoded() throws Exception {
    HoldingClock clock = new HoldingClock();
    try (ServerFixture f =
        new ServerFixture(ServerFixture.config(clock, List.of("*"), 1 << 20, 7_000))) {
      assertEquals(201, f.form("PUT", "/v2/keys/dir/a", "value=1").statusCode());
      assertEquals(201, f.form("PUT", "/v2/keys/dir/big",
          "value=" + "x".repeat(KeysReadHandler.LARGE_ANSWER_BYTES)).statusCode());
      assertEquals(201, f.form("PUT", "/v2/keys/small", "value=s").statusCode());
      assertEquals(201, f.form("PUT", "/v2/keys/app/a", "value=1").statusCode());
      long listedAt = f.backend.keySpace().index();
      // one listing per event loop: new connections go to the loops in turn
      int listings = BoundListeners.WORKER_THREADS;
      clock.toHold.set(listings);
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < listings; i++) {
          Socket s = new Socket("127.0.0.1", f.port);
          s.setSoTimeout(15_000);
          sockets.add(s);
          s.getOutputStream().write(("GET /v2/keys/dir?recursive=true HTTP/1.1\r\n"
              + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        assertTrue(clock.held.tryAcquire(listings, 10, TimeUnit.SECONDS),
            "every listing is being encoded");

        HttpResponse<String> small = f.send(HttpRequest.newBuilder(f.uri("/v2/keys/small"))
            .timeout(Duration.ofSeconds(5)).GET().build());
        assertEquals(200, small.statusCode());
        assertTrue(small.body().contains("\"value\":\"s\""), small.body());
        // confd's listing of its few keys does not wait behind the large ones either
        HttpResponse<String> smallListing = f.send(HttpRequest.newBuilder(
            f.uri("/v2/keys/app?recursive=true")).timeout(Duration.ofSeconds(5)).GET().build());
        assertEquals(200, smallListing.statusCode());
        assertTrue(smallListing.body().contains("\"key\":\"/app/a\""), smallListing.body());
        HttpResponse<String> health = f.send(HttpRequest.newBuilder(f.uri("/health"))
            .timeout(Duration.ofSeconds(5)).GET().build());
        assertEquals(200, health.statusCode());
        HttpResponse<String> write = f.send(HttpRequest.newBuilder(f.uri("/v2/keys/dir/late"))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .PUT(HttpRequest.BodyPublishers.ofString("value=2")).build());
        assertEquals(201, write.statusCode());
      } finally {
        clock.release.countDown();
      }
      // each listing is the key space as it was when it was read, at that index
      for (Socket s : sockets) {
        try (s) {
          String[] answer = readAnswer(s.getInputStream());
          assertTrue(answer[0].startsWith("HTTP/1.1 200 "), answer[0]);
          assertTrue(answer[0].contains("X-Etcd-Index: " + listedAt + "\r\n"), answer[0]);
          assertTrue(answer[1].contains("\"key\":\"/dir/a\""), answer[1]);
          assertFalse(answer[1].contains("/dir/late"), answer[1]);
        }
      }
    }
  }

  /** As on the event loop: the connection is closed, and the operator is told why. */
  @Test
  void aListingThatCannotBeBuiltForWantOfMemoryClosesItsConnectionAndIsLogged() throws Exception {
    HoldingClock clock = new HoldingClock();
    try (ServerFixture f =
            new ServerFixture(ServerFixture.config(clock, List.of("*"), 1 << 20, 7_000));
        LogCapture log = new LogCapture(
            java.util.logging.Logger.getLogger(RoutingHandler.class.getName()),
            java.util.logging.Level.WARNING)) {
      assertEquals(201, f.form("PUT", "/v2/keys/dir/a", "value=1").statusCode());
      assertEquals(201, f.form("PUT", "/v2/keys/dir/big",
          "value=" + "x".repeat(KeysReadHandler.LARGE_ANSWER_BYTES)).statusCode());
      clock.toFail.set(1);
      try (Socket s = new Socket("127.0.0.1", f.port)) {
        s.setSoTimeout(15_000);
        s.getOutputStream().write(("GET /v2/keys/dir?recursive=true HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(-1, s.getInputStream().read(), "closed without an answer");
      }
      assertEquals(1, log.messages.size(), log.messages.toString());
      assertTrue(log.messages.get(0).contains("for want of memory"), log.messages.get(0));
      assertEquals(200, f.get("/v2/keys/dir?recursive=true").statusCode());
    }
  }

  /** The head and body of one answer with a Content-Length. */
  private static String[] readAnswer(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new IOException("closed before the headers ended: " + head);
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    while (body.size() < length) {
      int n = in.read(buf, 0, Math.min(buf.length, length - body.size()));
      if (n < 0) throw new IOException("closed before the body ended");
      body.write(buf, 0, n);
    }
    return new String[] {head.toString(), body.toString(StandardCharsets.UTF_8)};
  }
}
