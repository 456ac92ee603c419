package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's --initial-election-tick-advance, on by default: a member that starts while its two peers
 * already listen moves its election timer ahead once it has connected to them, and the cluster
 * it joins serves. The two started first have an election timeout of 30 s, so that no leader can
 * be elected before the third connects (a member that has heard of a leader is not moved). What
 * the move does to the raft core is InitialTickAdvanceTest's.
 */
class InitialTickAdvanceClusterTest {
  @TempDir
  Path dir;

  @Test
  void aMemberStartedWhileItsPeersListenMovesItsElectionTimerAhead() throws Exception {
    List<ServerProcess> members = new ArrayList<>();
    try {
      List<String> slow = List.of("--heartbeat-interval", "100", "--election-timeout", "30000");
      members.add(new ServerProcess("a", dir.resolve("a"), slow));
      members.add(new ServerProcess("b", dir.resolve("b"), slow));
      members.add(new ServerProcess("c", dir.resolve("c"), List.of()));
      String cluster = String.join(",",
          members.stream().map(p -> p.name() + "=" + p.peerUrl()).toList());
      ServerProcess last = members.get(2);
      for (ServerProcess first : members.subList(0, 2)) {
        first.launch(cluster, "new");
        awaitListening(URI.create(first.peerUrl()));
      }
      last.launch(cluster, "new");
      for (ServerProcess m : members) m.awaitHealthy();
      assertTrue(last.log().contains("2 peers connected; election timer moved 8 ticks (800 ms) "
          + "ahead"), last.logTail());
    } finally {
      for (ServerProcess m : members) m.close();
    }
  }

  private static void awaitListening(URI peer) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(peer.getHost(), peer.getPort()), 1_000);
        return;
      } catch (java.io.IOException notYet) {
        if (System.nanoTime() - deadline > 0) throw notYet;
        Thread.sleep(50);
      }
    }
  }
}
