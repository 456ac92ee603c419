package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower that was down while the others snapshotted and compacted their logs past its last
 * entry can only catch up through a snapshot sent by the leader. With --snapshot-count 40 the
 * 200 writes below compact the log several times over.
 */
class SnapshotCatchUpTest {
  private static final int WRITES = 200;

  @TempDir
  Path tmp;

  @Test
  void aFollowerBehindTheCompactedLogCatchesUpBySnapshot() throws Exception {
    List<ServerProcess> all = new ArrayList<>();
    try {
      String initial = ServerProcess.startCluster(tmp, List.of("a", "b", "c"),
          List.of("--snapshot-count", "40"), all);
      ServerProcess a = all.get(0);
      ServerProcess c = all.get(2);

      c.close(); // a graceful stop: hands leadership over if it had it
      for (int i = 0; i < WRITES; i++) {
        HttpResponse<String> r = Http.put(a, "/v2/keys/lag/k" + i, "value=v" + i);
        assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
      }
      c.start(initial, "new");

      // c answers plain reads from its own state: wait until it has the last write.
      String last = "/v2/keys/lag/k" + (WRITES - 1);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!Http.get(c, last).body().contains("\"value\":\"v" + (WRITES - 1) + "\"")) {
        assertTrue(System.nanoTime() < deadline, "c did not catch up; log:\n" + c.logTail());
        Thread.sleep(50); // polling a condition with a deadline, not waiting for luck
      }
      for (int i = 0; i < WRITES; i++) {
        HttpResponse<String> r = Http.get(c, "/v2/keys/lag/k" + i);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"value\":\"v" + i + "\""), r.body());
      }
      assertTrue(c.log().contains("installing a snapshot from the leader"),
          "c caught up without a snapshot: the test no longer tests what it says");
      assertEquals(Http.get(a, "/v2/keys/lag?recursive=true&sorted=true&quorum=true").body(),
          Http.get(c, "/v2/keys/lag?recursive=true&sorted=true").body());
      // a wrote snapshots (every 40 entries) and syncs each on a thread of its own, and its log
      // took the writes: both show in etcd's series for them
      while (!(MetricsText.value(Http.get(a, "/metrics").body(), "etcd_snap_fsync_duration_seconds_count") >= 1)) {
        assertTrue(System.nanoTime() < deadline, "a timed no snapshot's fsync");
        Thread.sleep(50);
      }
      String metrics = Http.get(a, "/metrics").body();
      assertTrue(MetricsText.value(metrics, "etcd_disk_wal_write_bytes_total") > WRITES * 10, metrics);
    } finally {
      for (ServerProcess p : all) p.close();
    }
  }



}
