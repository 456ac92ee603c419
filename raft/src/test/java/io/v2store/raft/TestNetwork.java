package io.v2store.raft;

import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.EntryType;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/**
 * A whole group in one thread, as etcd's raft_test.go {@code network}: every member handles its
 * Readies at once (persist to its MemoryLog, apply), messages are delivered until the network is
 * quiet, and links can be cut or members isolated.
 */
final class TestNetwork {
  static final class Member {
    final long id;
    final MemoryLog log;
    RawNode node;
    final List<Entry> applied = new ArrayList<>();
    final List<ReadState> readStates = new ArrayList<>();

    Member(long id, MemoryLog log, RawNode node) {
      this.id = id;
      this.log = log;
      this.node = node;
    }

    RaftStatus status() {
      return node.status();
    }

    List<String> appliedData() {
      List<String> out = new ArrayList<>();
      for (Entry e : applied) {
        if (e.getType() == EntryType.ENTRY_NORMAL && !e.getData().isEmpty()) {
          out.add(e.getData().toStringUtf8());
        }
      }
      return out;
    }
  }

  final Map<Long, Member> members = new TreeMap<>();
  private final ArrayDeque<Message> queue = new ArrayDeque<>();
  private final Set<Long> isolated = new HashSet<>();
  private final Set<List<Long>> cut = new HashSet<>();
  /** Messages matching this are dropped (a test's black hole for one kind of message). */
  Predicate<Message> dropIf = m -> false;
  /** Every message that was handed to the network, delivered or not. */
  final List<Message> trace = new ArrayList<>();

  static TestNetwork of(int size, LongFunction<RaftConfig> config) {
    long[] ids = new long[size];
    for (int i = 0; i < size; i++) ids[i] = i + 1;
    TestNetwork net = new TestNetwork();
    for (long id : ids) {
      MemoryLog log = MemoryLog.withVoters(ids);
      net.members.put(id, new Member(id, log, new RawNode(config.apply(id), log)));
    }
    return net;
  }

  static RaftConfig config(long id, boolean preVote, boolean checkQuorum) {
    return new RaftConfig(id, 10, 1, preVote, checkQuorum, 1 << 20, 256, 0, 0, id);
  }

  Member member(long id) {
    return members.get(id);
  }

  RawNode node(long id) {
    return members.get(id).node;
  }

  void add(long id, MemoryLog log, RaftConfig config) {
    members.put(id, new Member(id, log, new RawNode(config, log)));
  }

  void isolate(long id) {
    isolated.add(id);
  }

  void cut(long a, long b) {
    cut.add(List.of(a, b));
    cut.add(List.of(b, a));
  }

  void recover() {
    isolated.clear();
    cut.clear();
    dropIf = m -> false;
  }

  /** Handles every pending Ready of every member, queueing what they send. */
  void processReadies() {
    boolean any = true;
    int bound = 10_000;
    while (any && bound-- > 0) {
      any = false;
      for (Member m : members.values()) {
        while (m.node.hasReady()) {
          any = true;
          handle(m, m.node.ready());
        }
      }
    }
  }

  private void handle(Member m, Ready rd) {
    queue.addAll(rd.messages());
    if (rd.snapshot() != null) {
      m.log.applySnapshot(rd.snapshot());
      m.applied.clear();
    }
    m.log.save(rd.hardState(), rd.entries(), rd.mustSync());
    queue.addAll(rd.messagesAfterPersist());
    for (Entry e : rd.committedEntries()) {
      m.applied.add(e);
      if (e.getType() == EntryType.ENTRY_CONF_CHANGE) {
        try {
          m.node.applyConfChange(ConfChange.parseFrom(e.getData()));
        } catch (InvalidProtocolBufferException ex) {
          throw new AssertionError(ex);
        }
      }
    }
    m.readStates.addAll(rd.readStates());
    m.node.advance(rd);
  }

  /** Delivers messages until none is left (bounded). */
  void deliverAll() {
    for (int i = 0; i < 100_000; i++) {
      processReadies();
      Message msg = queue.pollFirst();
      if (msg == null) return;
      trace.add(msg);
      if (dropped(msg)) continue;
      Member to = members.get(msg.getTo());
      if (to == null) continue;
      to.node.step(msg);
      if (msg.getType() == MessageType.MSG_SNAP) {
        members.get(msg.getFrom()).node.reportSnapshot(msg.getTo(), false);
      }
    }
    throw new AssertionError("network did not become quiet");
  }

  private boolean dropped(Message m) {
    return isolated.contains(m.getFrom()) || isolated.contains(m.getTo())
        || cut.contains(List.of(m.getFrom(), m.getTo())) || dropIf.test(m);
  }

  void campaign(long id) {
    node(id).campaign();
    deliverAll();
  }

  boolean propose(long id, String data) {
    boolean ok = node(id).propose(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    deliverAll();
    return ok;
  }

  /** Ticks every member n times, delivering after each tick. */
  void tick(int n) {
    for (int i = 0; i < n; i++) {
      for (Member m : members.values()) m.node.tick();
      deliverAll();
    }
  }

  /** Messages queued but not yet delivered (taking them out of the network). */
  List<Message> takeQueued() {
    processReadies();
    List<Message> out = new ArrayList<>(queue);
    queue.clear();
    return out;
  }

  void deliver(Message m) {
    node(m.getTo()).step(m);
  }

  long leaderId() {
    long leader = 0;
    long term = -1;
    for (Member m : members.values()) {
      RaftStatus s = m.status();
      if (s.role() == Role.LEADER && s.term() > term) {
        leader = m.id;
        term = s.term();
      }
    }
    return leader;
  }
}
