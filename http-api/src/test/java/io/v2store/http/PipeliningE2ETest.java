package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests sent before the answers (HTTP/1.1 pipelining) are answered in the order sent, as Go's
 * server does by reading one at a time (etcd 3.4.23: a GET sent after a waiting watch is answered
 * after the watch's event; a GET sent after a PUT after the PUT).
 */
class PipeliningE2ETest {
  private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");
  private ServerFixture f;

  @BeforeEach
  void start() {
    f = new ServerFixture();
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private static List<String> statuses(String raw) {
    List<String> out = new ArrayList<>();
    Matcher m = STATUS.matcher(raw);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Reads until the text read so far holds {@code count} status lines and ends with {@code end}. */
  private static String readUntil(InputStream in, ByteArrayOutputStream got, int count, String end)
      throws IOException {
    byte[] buf = new byte[8192];
    while (true) {
      String text = got.toString(StandardCharsets.ISO_8859_1);
      if (statuses(text).size() >= count && text.endsWith(end)) {
        return text;
      }
      int n = in.read(buf);
      if (n < 0) {
        return got.toString(StandardCharsets.ISO_8859_1);
      }
      got.write(buf, 0, n);
    }
  }

  @Test
  void aRequestSentAfterAWaitingWatchIsAnsweredAfterItsEvent() throws Exception {
    try (Socket s = new Socket("127.0.0.1", f.port)) {
      s.setSoTimeout(15_000); // a deadline for a loaded machine, not an expectation
      s.getOutputStream().write(("GET /version HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /v2/keys/pipelined?wait=true HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /v2/keys/missing HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      // the version, then the watch's headers: it waits
      String before = readUntil(s.getInputStream(), got, 2, "\r\n\r\n");
      assertEquals(List.of("200", "200"), statuses(before), before);
      assertTrue(before.contains("Transfer-Encoding: chunked"), before);
      assertEquals(201, f.form("PUT", "/v2/keys/pipelined", "value=v").statusCode());
      String after = readUntil(s.getInputStream(), got, 3, "}\n");
      assertEquals(List.of("200", "200", "404"), statuses(after), after);
      int event = after.indexOf("{\"action\":\"set\"");
      int missing = after.indexOf("HTTP/1.1 404");
      assertTrue(event > 0 && event < missing, "the event, its end, then the next answer: " + after);
      assertTrue(after.substring(event, missing).endsWith("\r\n0\r\n\r\n"), after);
      assertTrue(after.endsWith("\"cause\":\"/missing\",\"index\":1}\n"), after);
    }
  }

  /**
   * Sends a watch of key and then request on s; checks that only the watch's headers came back,
   * then wakes the watch with a write.
   */
  private void behindAWatch(Socket s, ByteArrayOutputStream got, String key, String request)
      throws Exception {
    s.getOutputStream().write(("GET /v2/keys/" + key + "?wait=true HTTP/1.1\r\nHost: x\r\n\r\n"
        + request).getBytes(StandardCharsets.US_ASCII));
    String before = readUntil(s.getInputStream(), got, 1, "\r\n\r\n");
    assertEquals(List.of("200"), statuses(before), "only the watch's headers: " + before);
    assertEquals(201, f.form("PUT", "/v2/keys/" + key, "value=v").statusCode());
  }

  /** What the server answers before any handler (a "100 Continue", a 413) comes in turn too. */
  @Test
  void aContinueOrA413ForARequestSentAfterAWatchComesAfterItsEvent() throws Exception {
    try (Socket s = new Socket("127.0.0.1", f.port)) {
      s.setSoTimeout(15_000);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      behindAWatch(s, got, "c", "PUT /v2/keys/c2 HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
          + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\n");
      String continued = readUntil(s.getInputStream(), got, 2, "100 Continue\r\n\r\n");
      assertTrue(continued.indexOf("\r\n0\r\n\r\nHTTP/1.1 100 Continue") > 0,
          "the watch's end, then the continue: " + continued);
      s.getOutputStream().write("value=2".getBytes(StandardCharsets.US_ASCII));
      String put = readUntil(s.getInputStream(), got, 3, "}\n");
      assertEquals(List.of("200", "100", "201"), statuses(put), put);
    }
    try (Socket s = new Socket("127.0.0.1", f.port)) {
      s.setSoTimeout(15_000);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      behindAWatch(s, got, "d", "PUT /v2/keys/d2 HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n");
      String after = readUntil(s.getInputStream(), got, 2, "}\n");
      assertEquals(List.of("200", "413"), statuses(after), after);
      assertTrue(after.indexOf("\r\n0\r\n\r\nHTTP/1.1 413") > 0, after);
    }
  }

  /** Reads until the server closes the connection. */
  private static String readToClose(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) >= 0; ) {
      got.write(buf, 0, n);
    }
    return got.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * A client that ends its side of the connection once its request is sent (printf ... | nc -N,
   * a health check through busybox nc) still gets the answer, as from Go's server, and then the
   * close: the answer to a write or to /health comes after the client's end has arrived.
   */
  @Test
  void aClientThatEndsItsSideAfterTheRequestStillGetsTheAnswer() throws Exception {
    java.util.concurrent.CompletableFuture<Boolean> health =
        new java.util.concurrent.CompletableFuture<>();
    f.backend.health = health;
    try (Socket s = new Socket("127.0.0.1", f.port)) {
      s.setSoTimeout(15_000);
      s.getOutputStream().write("GET /health HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.shutdownOutput();
      // The handler waits for the health answer (a loaded machine may take its time to get
      // there: answered before, the end would arrive after the answer and prove nothing); the
      // end, sent before, follows the request in the same stream.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (health.getNumberOfDependents() == 0) {
        assertTrue(System.nanoTime() < deadline, "the request never reached /health's handler");
        Thread.sleep(1);
      }
      Thread.sleep(200); // the end arrives before the answer is known
      health.complete(true);
      String text = readToClose(s.getInputStream());
      assertTrue(text.startsWith("HTTP/1.0 200 OK\r\n"), text);
      assertTrue(text.endsWith("\r\n\r\n{\"health\":\"true\"}"), text);
    }
    try (Socket s = new Socket("127.0.0.1", f.port)) {
      s.setSoTimeout(15_000);
      s.getOutputStream().write(("PUT /v2/keys/ended?value=1 HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /v2/keys/ended HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      s.shutdownOutput();
      String text = readToClose(s.getInputStream());
      assertEquals(List.of("201", "200"), statuses(text), text);
      assertTrue(text.endsWith("\"value\":\"1\",\"modifiedIndex\":1,\"createdIndex\":1}}\n"), text);
    }
  }

  /**
   * A client's end cuts its waiting watch (it may be gone for good), as etcd's does: the response
   * ends, empty, and the connection closes. An idle connection whose client ends closes too.
   */
  @Test
  void aClientsEndCutsItsWaitingWatchAndClosesAnIdleConnection() throws Exception {
    try (Socket s = new Socket("127.0.0.1", f.port)) {
      s.setSoTimeout(15_000);
      s.getOutputStream().write("GET /v2/keys/w?wait=true HTTP/1.1\r\nHost: x\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      readUntil(s.getInputStream(), new ByteArrayOutputStream(), 1, "\r\n\r\n");
      s.shutdownOutput();
      assertEquals("0\r\n\r\n", readToClose(s.getInputStream()));
    }
    try (Socket s = new Socket("127.0.0.1", f.port)) {
      s.setSoTimeout(15_000);
      s.shutdownOutput();
      assertEquals("", readToClose(s.getInputStream()));
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (f.backend.keySpace().stats().watchers() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, f.backend.keySpace().stats().watchers(), "the watch was cancelled");
  }

  /**
   * A client that sends its requests and does not read the answers holds up the next request
   * once the connection's buffers are full, as Go's server blocks writing: the member does not
   * hold every answer in memory (400 pipelined 1 MB reads took 800 MB and a member would exit
   * out of memory), and the client still gets them all, in turn, when it reads.
   */
  @Test
  void answersWaitForAClientThatDoesNotReadThem() throws Exception {
    String big = "v".repeat(512 * 1024);
    f.backend.keySpace().set("/big", false, big, 0, false);
    int requests = 100;
    String one = "GET /v2/keys/big HTTP/1.1\r\nHost: x\r\n\r\n";
    try (Socket s = new Socket()) {
      s.setReceiveBufferSize(8192);
      s.connect(new java.net.InetSocketAddress("127.0.0.1", f.port));
      s.setSoTimeout(15_000);
      s.getOutputStream().write((one.repeat(requests)
          + "GET /v2/keys/missing HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      Thread.sleep(1_000); // time enough to answer them all, were nothing holding them up
      // (the kernel's send buffer takes a few: up to 4 MiB on Linux)
      long answered = f.backend.keySpace().stats().getsSuccess();
      assertTrue(answered < requests / 2, answered + " answers went into the connection's buffers");
      InputStream in = s.getInputStream();
      byte[] buf = new byte[65536];
      long total = 0;
      String end = "\"cause\":\"/missing\",\"index\":1}\n";
      String tail = "";
      while (!tail.endsWith(end)) {
        int n = in.read(buf);
        assertTrue(n > 0, "closed after " + total + " bytes");
        total += n;
        tail = (tail + new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        tail = tail.substring(Math.max(0, tail.length() - end.length()));
      }
      assertEquals(requests, f.backend.keySpace().stats().getsSuccess());
      assertTrue(total > (long) requests * big.length(), "every answer whole: " + total);
    }
  }

  @Test
  void manyPipelinedRequestsAreAnsweredEachInTurn() throws Exception {
    int requests = InOrderRequests.MAX_WAITING * 8; // past the point where reading pauses
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < requests; i++) {
      all.append(i % 2 == 0
          ? "PUT /v2/keys/k" + i + "?value=" + i + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
          : "GET /v2/keys/k" + (i - 1) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    try (Socket s = new Socket("127.0.0.1", f.port)) {
      s.setSoTimeout(15_000);
      s.getOutputStream().write(all.toString().getBytes(StandardCharsets.US_ASCII));
      String text = readUntil(s.getInputStream(), new ByteArrayOutputStream(), requests, "}\n");
      List<String> statuses = statuses(text);
      assertEquals(requests, statuses.size(), text);
      int from = 0;
      for (int i = 0; i < requests; i++) {
        assertEquals(i % 2 == 0 ? "201" : "200", statuses.get(i), "answer " + i);
        String node = "{\"key\":\"/k" + (i - i % 2) + "\",\"value\":\"" + (i - i % 2) + "\"";
        int at = text.indexOf(node, from);
        assertTrue(at >= 0, "answer " + i + " in its turn");
        from = at + node.length();
      }
    }
    assertEquals(200, f.get("/version").statusCode(), "the connection's end left the server well");
  }

  /**
   * Writes with a form body, many sent at once (a loader that pipelines its PUTs), and the
   * client's end after them: each is answered in turn, and then the connection closes, as by
   * etcd (3.4.23: 2,000 such PUTs on one connection, 2,000 answers).
   */
  @Test
  void manyPipelinedFormPutsAreEachAnsweredBeforeTheClientsEndClosesTheConnection()
      throws Exception {
    int requests = 2_000;
    String one = "PUT /v2/keys/p HTTP/1.1\r\nHost: x\r\n"
        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\nvalue=1";
    try (Socket s = new Socket("127.0.0.1", f.port)) {
      s.setSoTimeout(15_000);
      s.getOutputStream().write(one.repeat(requests).getBytes(StandardCharsets.US_ASCII));
      s.shutdownOutput();
      List<String> statuses = statuses(readToClose(s.getInputStream()));
      assertEquals(requests, statuses.size(), "answers before the connection closed");
      assertEquals("201", statuses.get(0));
      assertTrue(statuses.subList(1, requests).stream().allMatch("200"::equals), "" + statuses);
    }
    assertEquals(requests, f.backend.keySpace().stats().setsSuccess());
  }

  /**
   * Writes with bodies larger than what is read at once, sent ahead: the one let through when
   * reading had paused still has its body read (it waited for it: 40 PUTs of 5 KB got 16
   * answers, then nothing). etcd 3.4.23 answers all 40.
   */
  @Test
  void pipelinedWritesWhoseBodiesArriveAfterReadingPausedAreEachAnswered() throws Exception {
    int requests = 40;
    String body = "value=" + "x".repeat(5_000);
    String one = "PUT /v2/keys/b HTTP/1.1\r\nHost: x\r\n"
        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
        + "\r\n\r\n" + body;
    try (Socket s = new Socket("127.0.0.1", f.port)) {
      s.setSoTimeout(15_000);
      s.getOutputStream().write(one.repeat(requests).getBytes(StandardCharsets.US_ASCII));
      String text = readUntil(s.getInputStream(), new ByteArrayOutputStream(), requests, "}\n");
      assertEquals(requests, statuses(text).size(), "answers before the connection closed");
    }
    assertEquals(requests, f.backend.keySpace().stats().setsSuccess());
  }
}
