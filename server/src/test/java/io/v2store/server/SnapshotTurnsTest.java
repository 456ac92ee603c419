package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.http.Member;
import io.v2store.raft.driver.SnapshotTurn;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfChangeType;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each member's turn to write snapshots is its rank by id in the list every member shares, and
 * members applying the same writes write their snapshots at different indexes.
 */
class SnapshotTurnsTest {
  private static final Pattern WROTE = Pattern.compile("(\\w+): wrote snapshot at index (\\d+)");
  private static final long LOW = 0x1111L;
  private static final long HIGH = 0xf000_0000_0000_0001L; // first as signed, last as unsigned
  private static final long MIDDLE = 0x7fffL;

  @TempDir
  Path tmp;

  /**
   * One writer, one entry per write: before turns every member wrote each snapshot at the same
   * index as the others.
   */
  @Test
  void threeMembersNeverWriteASnapshotAtTheSameIndex() throws Exception {
    List<ServerProcess> all = new ArrayList<>();
    try {
      ServerProcess.startCluster(tmp, List.of("a", "b", "c"), List.of("--snapshot-count", "30"),
          all);
      for (int i = 0; i < 400; i++) {
        HttpResponse<String> r = Http.put(all.get(i % 3), "/v2/keys/turns/k" + i, "value=v" + i);
        assertEquals(201, r.statusCode(), r.body());
      }
      Map<Long, String> byIndex = new HashMap<>();
      Map<String, Integer> perMember = new HashMap<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      for (ServerProcess p : all) {
        // a write is answered once applied where it was taken; the others may apply it later
        while (!Http.get(p, "/v2/keys/turns/k399").body().contains("\"v399\"")) {
          assertTrue(System.nanoTime() < deadline, "a member never applied the last write");
          Thread.sleep(20); // polling a condition with a deadline
        }
        Matcher m = WROTE.matcher(p.log());
        while (m.find()) {
          String other = byIndex.put(Long.parseLong(m.group(2)), m.group(1));
          assertNull(other, m.group(1) + " and " + other + " both wrote a snapshot at index "
              + m.group(2));
          perMember.merge(m.group(1), 1, Integer::sum);
        }
      }
      assertEquals(3, perMember.size(), "snapshots by member: " + perMember);
      perMember.values().forEach(n -> assertTrue(n >= 2, "snapshots by member: " + perMember));
    } finally {
      for (ServerProcess p : all) p.close();
    }
  }

  @Test
  void turnsFollowTheMembersOrderAndItsChanges() {
    List<Member> three = List.of(member(HIGH), member(LOW), member(MIDDLE));
    assertEquals(new SnapshotTurn(0, 3), new Members(LOW, three).snapshotTurn());
    assertEquals(new SnapshotTurn(1, 3), new Members(MIDDLE, three).snapshotTurn());
    assertEquals(new SnapshotTurn(2, 3), new Members(HIGH, three).snapshotTurn());

    Members middle = new Members(MIDDLE, three);
    middle.apply(ConfChange.newBuilder().setType(ConfChangeType.CONF_CHANGE_REMOVE_NODE)
        .setNodeId(LOW).build());
    assertEquals(new SnapshotTurn(0, 2), middle.snapshotTurn());
    middle.apply(ConfChange.newBuilder().setType(ConfChangeType.CONF_CHANGE_REMOVE_NODE)
        .setNodeId(MIDDLE).build());
    assertEquals(SnapshotTurn.ALONE, middle.snapshotTurn()); // removed: nobody to wait for
  }

  private static Member member(long id) {
    return new Member(id, "m" + id, List.of("http://127.0.0.1:2380"), List.of());
  }
}
