package io.v2store.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member whose key space outgrows its heap. Debian's etcd.service restarts etcd only when a
 * signal ends it (Restart=on-abnormal), which is how the kernel's OOM killer ends etcd; a member
 * of ours swapped in under that unit must end the same way, or it stays down for good.
 */
class OutOfHeapTest {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();
  /** SIGKILL, as Process reports a child that a signal ended: 128 + the signal's number. */
  private static final int KILLED_BY_SIGKILL = 128 + 9;
  private static final int MAX_WRITES = 400;

  @Test
  void memberOutOfHeapIsKilledBySigkillAndKeepsEveryAcknowledgedWrite(@TempDir Path work)
      throws Exception {
    final Path home = UnpackedRelease.home();
    final String value = "v".repeat(1 << 20);
    final List<Integer> acknowledged = new ArrayList<>();
    final List<Integer> ports;
    try (MemberProcess member = MemberProcess.start(home, work, Map.of("V2STORE_HEAP", "48m"))) {
      ports = member.ports;
      assertTrue(Deadline.await(Duration.ofSeconds(60), member::healthy),
          "member became healthy; log:\n" + member.logText());
      for (int i = 0; i < MAX_WRITES && member.process.isAlive(); i++) {
        if (put(member.clientUrl, i, value) != 201) break;
        acknowledged.add(i);
      }
      assertTrue(acknowledged.size() < MAX_WRITES,
          MAX_WRITES + " values of 1 MiB fit a 48 MiB heap? log:\n" + member.logText());
      assertTrue(Deadline.await(Duration.ofSeconds(60), () -> !member.process.isAlive()),
          "the member ended once out of heap; log:\n" + member.logText());
      assertEquals(KILLED_BY_SIGKILL, member.process.exitValue(),
          "ended by SIGKILL, not by an exit status; log:\n" + member.logText());
      assertTrue(member.logText().contains("OutOfMemoryError"),
          "the log says why:\n" + member.logText());
    }
    assertTrue(acknowledged.size() >= 2, "some writes were acknowledged first: " + acknowledged);

    // What a supervisor does next: start it again (here with room for the key space).
    try (MemberProcess again = MemberProcess.start(home, work, Map.of("V2STORE_HEAP", "256m"), ports)) {
      assertTrue(Deadline.await(Duration.ofSeconds(60), again::healthy),
          "member restarted; log:\n" + again.logText());
      for (int i : acknowledged) {
        final HttpResponse<String> got = HTTP.send(HttpRequest.newBuilder(
                URI.create(again.clientUrl + "/v2/keys/big/" + i)).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, got.statusCode(), "acknowledged write " + i + " survived");
        assertTrue(got.body().contains(value), "write " + i + " kept its whole value");
      }
    }
  }

  /** The status of one write, or 0 when the member dropped the connection. */
  private static int put(String clientUrl, int key, String value) throws InterruptedException {
    final String form = "value=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(clientUrl + "/v2/keys/big/" + key))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .PUT(HttpRequest.BodyPublishers.ofString(form)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return 0;
    }
  }
}
