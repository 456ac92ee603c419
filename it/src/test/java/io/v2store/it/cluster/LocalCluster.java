package io.v2store.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Three of our server processes forming one cluster on 127.0.0.1 (free ports, one token), with
 * short timeouts so failover fits in a test: 50 ms heartbeats, 500 ms elections.
 */
final class LocalCluster implements AutoCloseable {
  static final long HEARTBEAT_MILLIS = 50;
  static final long ELECTION_MILLIS = 500;

  final List<MemberProcess> members = new ArrayList<>();
  private final Path dir;
  private final String initialCluster;
  private final String token;
  private final List<String> moreFlags;

  LocalCluster(int size) {
    this(size, List.of());
  }

  /** With more flags for every member (--pre-vote=false, ...). */
  LocalCluster(int size, List<String> moreFlags) {
    this.moreFlags = List.copyOf(moreFlags);
    try {
      dir = Files.createTempDirectory("it-cluster-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    token = "it-cluster-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    List<String> peers = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      MemberProcess m = new MemberProcess("m" + i, freePort(), freePort(), dir.resolve("m" + i));
      members.add(m);
      peers.add(m.name + "=" + m.peerUrl);
    }
    initialCluster = String.join(",", peers);
    for (MemberProcess m : members) start(m);
    for (MemberProcess m : members) awaitHealthy(m);
  }

  void start(MemberProcess m) {
    m.launch(initialCluster, token, HEARTBEAT_MILLIS, ELECTION_MILLIS, moreFlags);
  }

  /** Waits until the member answers /health with 200 (it has a leader). */
  void awaitHealthy(MemberProcess m) {
    V2Client c = new V2Client(2_000);
    boolean ok = ClusterPoll.until(40_000, () -> m.alive() && c.healthy(m.clientUrl));
    if (!ok) {
      throw new AssertionError(m.name + " not healthy (alive=" + m.alive() + "):\n"
          + m.logTail(4000));
    }
  }

  /** The member every live member names as leader, or null while they disagree. */
  MemberProcess leader() {
    V2Client c = new V2Client(1_000);
    MemberProcess found = null;
    for (MemberProcess m : members) {
      if (!m.alive()) continue;
      if (c.isLeader(m.clientUrl)) {
        if (found != null) return null;
        found = m;
      }
    }
    return found;
  }

  MemberProcess awaitLeader(long timeoutMillis) {
    MemberProcess[] box = new MemberProcess[1];
    ClusterPoll.require(timeoutMillis, "a leader", () -> (box[0] = leader()) != null);
    return box[0];
  }

  @Override
  public void close() {
    for (MemberProcess m : members) {
      if (m.alive()) {
        m.resume(); // a stopped process cannot handle SIGTERM
        m.kill9();
      }
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String logs() {
    StringBuilder sb = new StringBuilder();
    for (MemberProcess m : members) {
      sb.append("---- ").append(m.name).append('\n').append(m.logTail(3000)).append('\n');
    }
    return sb.toString();
  }

  /** Never a port handed out before in this run: a closed probe's port can come back. */
  private static int freePort() {
    return io.v2store.it.FreePorts.next();
  }
}
