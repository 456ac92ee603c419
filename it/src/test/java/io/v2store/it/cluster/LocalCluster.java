package io.v2store.it.cluster;

import io.v2store.testkit.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Three of our server processes forming one cluster on 127.0.0.1 (free ports, one token), with
 * short timeouts so failover fits in a test: 50 ms heartbeats, 500 ms elections.
 */
final class LocalCluster implements AutoCloseable {
  static final long HEARTBEAT_MILLIS = 50;
  static final long ELECTION_MILLIS = 500;

  final List<MemberProcess> members = new ArrayList<>();
  private final Map<MemberProcess, PeerRelay> relays = new HashMap<>();
  /** Member ids by name, read from /v2/members when first needed. */
  private Map<String, Long> ids;
  private final Path dir;
  private final String initialCluster;
  private final String token;
  private final List<String> moreFlags;

  LocalCluster(int size) {
    this(size, List.of());
  }

  /** With more flags for every member (--pre-vote=false, ...). */
  LocalCluster(int size, List<String> moreFlags) {
    this(size, moreFlags, false);
  }

  /**
   * With relays: each member's peer port behind a {@link PeerRelay} that the others are told to
   * call, so that {@link #cut} can silence one member's messages to another.
   */
  static LocalCluster withRelays(int size) {
    return withRelays(size, List.of());
  }

  static LocalCluster withRelays(int size, List<String> moreFlags) {
    return new LocalCluster(size, moreFlags, true);
  }

  private LocalCluster(int size, List<String> moreFlags, boolean relayed) {
    this.moreFlags = List.copyOf(moreFlags);
    try {
      dir = Files.createTempDirectory("it-cluster-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    token = "it-cluster-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    List<String> peers = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      int peerPort = freePort();
      int advertised = relayed ? freePort() : peerPort;
      MemberProcess m = new MemberProcess("m" + i, freePort(), peerPort, advertised,
          dir.resolve("m" + i));
      if (relayed) {
        try {
          relays.put(m, new PeerRelay(advertised, peerPort));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      members.add(m);
      peers.add(m.name + "=" + m.advertisedPeerUrl);
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

  /** From now on, from's messages to to are lost (its connections to it refused and closed). */
  void cut(MemberProcess from, MemberProcess to) {
    PeerRelay relay = relays.get(to);
    if (relay == null) throw new IllegalStateException("a cluster without relays");
    relay.drop(id(from));
  }

  /** Cuts both ways between m and every other member. */
  void isolate(MemberProcess m) {
    for (MemberProcess other : members) {
      if (other == m) continue;
      cut(m, other);
      cut(other, m);
    }
  }

  /** Every message flows again. */
  void heal() {
    relays.values().forEach(PeerRelay::heal);
  }

  private long id(MemberProcess m) {
    if (ids == null) {
      Map<String, Long> found = new HashMap<>();
      V2Client c = new V2Client(2_000);
      for (MemberProcess any : members) {
        if (!any.alive()) continue;
        try {
          for (var member : c.members(any.clientUrl)) {
            found.put(member.path("name").asText(),
                Long.parseUnsignedLong(member.path("id").asText(), 16));
          }
          break;
        } catch (IOException e) {
          // try the next member
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      ids = found;
    }
    Long id = ids.get(m.name);
    if (id == null) throw new IllegalStateException("no id for " + m.name + " in " + ids);
    return id;
  }

  @Override
  public void close() {
    for (MemberProcess m : members) {
      if (m.alive()) {
        m.resume(); // a stopped process cannot handle SIGTERM
        m.kill9();
      }
    }
    for (PeerRelay relay : relays.values()) {
      try {
        relay.close();
      } catch (IOException ignored) {
        // the test is over
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
    return LoopbackPorts.next();
  }
}
