package io.v2store.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.v2store.http.Member;
import io.v2store.raft.SnapshotInput;
import io.v2store.raft.driver.SnapshotTurn;
import io.v2store.raft.driver.StateMachine;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfChangeType;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.pb.SnapshotMetadata;
import io.v2store.storage.auth.AuthRecords;
import io.v2store.storage.pb.V2Request;
import io.v2store.storage.store.EtcdException;
import io.v2store.storage.store.Event;
import io.v2store.storage.store.KeySpace;
import io.v2store.storage.store.RequestApplier;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The replicated state as a Raft state machine: the key space plus the member table. Each
 * committed normal entry is one V2Request; applying it completes the waiting response if this
 * member proposed it.
 */
final class V2StateMachine implements StateMachine {
  /** Snapshot layout version: members, applied request ids, auth records, then the key space. */
  private static final int SNAPSHOT_FORMAT = 3;

  private final KeySpace keySpace;
  private final RequestApplier applier;
  private final Pending<Event> writes;
  private final Pending<Member> memberChanges;
  private final Members members;
  private final AuthRecords auth;
  private final MembershipListener membership;
  private final AppliedRequestIds appliedIds = new AppliedRequestIds();
  private final LongSupplier wallClockNanos;

  /**
   * wallClockNanos: this member's clock (epoch nanoseconds), the one its expiry ticker and HTTP
   * layer read; events show their ttl against it. The only clock apply reads: it changes no
   * state, only how an event's ttl is shown, and each member (as each etcd member) shows its own.
   */
  V2StateMachine(KeySpace keySpace, Pending<Event> writes, Pending<Member> memberChanges,
      Members members, AuthRecords auth, MembershipListener membership,
      LongSupplier wallClockNanos) {
    this.auth = auth;
    this.wallClockNanos = wallClockNanos;
    this.keySpace = keySpace;
    this.applier = new RequestApplier(keySpace);
    this.writes = writes;
    this.memberChanges = memberChanges;
    this.members = members;
    this.membership = membership;
  }

  @Override
  public void applyEntry(long index, ByteString data) {
    if (data.isEmpty()) return; // a new leader's empty entry
    V2Request request = decode(index, data);
    if (!appliedIds.firstTime(dedupKey(request))) return; // a re-proposed copy: applied already
    // Only this member's own proposals answer its waiting requests: another member's request may
    // carry the same id (RequestIds), and would answer this member's client with its result.
    Pending<Event> waitingWrites = mine(request) ? writes : NOT_MINE;
    Pending<Member> waitingChanges = mine(request) ? memberChanges : NOT_MINE_MEMBER;
    // The writer is answered before the watchers are woken (finishApplied): its answer would
    // otherwise queue behind one network write per watcher (measured: 100-340 ms behind 5,000).
    keySpace.holdDeliveries();
    // Its events show their ttl as of now on this member's clock, however late they are read.
    keySpace.setEventClock(wallClockNanos.getAsLong());
    switch (request.getMethod()) {
      case SYNC -> applier.sync(request);
      case PUBLISH -> {
        members.publish(request.getMember());
        waitingChanges.succeeded(request.getId(), members.get(request.getMember().getId()));
      }
      // Auth records are not keys: no index, no event, no watcher (etcd keeps them outside the
      // keys' "/1"); the proposer is answered with a null event.
      case AUTH_PUT, AUTH_DELETE -> {
        try {
          auth.apply(request);
          waitingWrites.succeeded(request.getId(), null);
        } catch (EtcdException refused) {
          waitingWrites.failed(request.getId(), refused);
        }
      }
      default -> {
        try {
          Event event = applier.apply(request);
          waitingWrites.succeeded(request.getId(), event);
        } catch (EtcdException refused) {
          waitingWrites.failed(request.getId(), refused);
        }
      }
    }
  }

  /** Answers nobody: a request another member proposed has no waiter here. */
  private static final Pending<Event> NOT_MINE = new Pending<>();
  private static final Pending<Member> NOT_MINE_MEMBER = new Pending<>();

  private boolean mine(V2Request request) {
    return request.getProposer() == 0 || request.getProposer() == members.selfId();
  }

  /**
   * What a request is deduplicated by. Request ids are unique per member only: two members whose
   * ids share their low 16 bits draw ids from one range (RequestIds), so a request of one would
   * be skipped as a copy of the other's. The proposer, mixed into the id, tells them apart. Entries
   * written before the proposer was recorded keep their bare id (as earlier snapshots hold them).
   */
  static long dedupKey(V2Request request) {
    long id = request.getId();
    long proposer = request.getProposer();
    if (id == 0 || proposer == 0) return id;
    // SplitMix64's finalizer: every bit of the proposer's id moves every bit of the key
    long z = proposer + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    long key = id ^ z;
    return key == 0 ? id : key; // 0 is no id to AppliedRequestIds
  }

  @Override
  public void finishApplied() {
    keySpace.releaseDeliveries();
  }

  @Override
  public boolean finishIsLight() {
    return !keySpace.deliveriesHeldForWatchers();
  }

  @Override
  public void applyConfChange(long index, ConfChange change) {
    Member member = members.apply(change);
    if (change.getType() == ConfChangeType.CONF_CHANGE_REMOVE_NODE) {
      membership.removed(change.getNodeId());
    } else if (member != null && change.getType() == ConfChangeType.CONF_CHANGE_UPDATE_NODE) {
      membership.updated(member);
    } else if (member != null) {
      membership.added(member);
    }
    long proposer = Members.attributes(change).getProposer();
    if (proposer == 0 || proposer == members.selfId()) {
      memberChanges.succeeded(change.getId(), member);
    }
  }

  @Override
  public SnapshotTurn snapshotTurn() {
    return members.snapshotTurn();
  }

  /** The whole state in memory: only for the small initial snapshot of a new member. */
  @Override
  public byte[] snapshot() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    try {
      writeSnapshot(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Streams the state (periodic snapshots go straight to a file): the key space is never held a
   * second time in memory, which a million keys' worth of heap could not afford.
   */
  @Override
  public void writeSnapshot(OutputStream sink) throws IOException {
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(sink, 1 << 16));
    out.writeInt(SNAPSHOT_FORMAT);
    members.write(out);
    appliedIds.write(out);
    auth.write(out);
    // Last, in the layout members of earlier builds read too (a rolling upgrade's)
    keySpace.writeSnapshotAtEnd(out);
    out.flush(); // not close: the sink belongs to the caller
  }

  /** A leader's snapshot, whose data is in memory. */
  @Override
  public void restore(Snapshot snapshot) {
    restore(snapshot.getMetadata(), snapshot.getData().newInput());
  }

  /**
   * A restart's: the data is the snapshot file, read as a stream (it can be over the 2 GiB a
   * Snapshot holds), never copied onto the heap whole.
   */
  @Override
  public void restore(SnapshotInput snapshot) {
    restore(snapshot.metadata(), snapshot.data());
  }

  /**
   * The data goes through a small heap buffer filled in bulk, because reading a mapping or a file
   * byte by byte pays the direct buffer's checks (or a read call) on every byte, in the
   * interpreter too, as a restart begins.
   */
  private void restore(SnapshotMetadata metadata, InputStream data) {
    List<Member> before = members.list();
    java.util.Set<Long> removedBefore = members.removedIds();
    try (DataInputStream in = new DataInputStream(new UnsyncBufferedInput(data, 1 << 16))) {
      int format = in.readInt();
      if (format < 1 || format > SNAPSHOT_FORMAT) {
        throw new IOException("unknown snapshot format " + format);
      }
      members.read(in);
      if (format >= 2) appliedIds.read(in);
      if (format >= 3) {
        auth.read(in);
      } else {
        auth.clear();
      }
      keySpace.restoreSnapshotAtEnd(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restore from snapshot at index "
          + metadata.getIndex(), e);
    }
    followMembers(before, removedBefore);
  }

  /**
   * The peer links follow the member list a snapshot brought, as etcd re-adds its peers when it
   * applies one: a member that caught up by a leader's snapshot saw none of the changes in it.
   * This member's own removal is left to its peers, which refuse it. A member added and removed
   * again inside the snapshot's range was never in this member's list, and is refused all the
   * same, as the others refuse it.
   */
  private void followMembers(List<Member> before, java.util.Set<Long> removedBefore) {
    Map<Long, Member> gone = new HashMap<>();
    for (Member m : before) gone.put(m.id(), m);
    for (Member m : members.list()) {
      Member old = gone.remove(m.id());
      if (m.id() == members.selfId()) continue;
      if (old == null) membership.added(m);
      else if (!old.peerUrls().equals(m.peerUrls())) membership.updated(m);
    }
    for (long id : gone.keySet()) {
      if (id != members.selfId()) membership.removed(id);
    }
    for (long id : members.removedIds()) {
      if (id != members.selfId() && !removedBefore.contains(id) && !gone.containsKey(id)) {
        membership.removed(id);
      }
    }
  }

  private static V2Request decode(long index, ByteString data) {
    try {
      return V2Request.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt request in the log at index " + index, e);
    }
  }
}
