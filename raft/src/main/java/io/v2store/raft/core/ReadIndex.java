package io.v2store.raft.core;

import com.google.protobuf.ByteString;
import io.v2store.raft.ReadState;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Linearizable reads on the leader (thesis 6.4): record the commit index, confirm leadership with
 * one heartbeat round, then answer. Reads arriving while a round's heartbeats are still unsent
 * join that round, so one round answers every read waiting at that moment. While the leader
 * lease holds (LeaderLease, with lease reads on), no round is needed at all.
 */
final class ReadIndex {
  private record Request(long from, ByteString context) {}

  private static final class Round {
    final ByteString context;
    final List<Request> requests = new ArrayList<>();
    final TreeMap<Long, Boolean> acks = new TreeMap<>();
    long index;

    Round(ByteString context) {
      this.context = context;
    }
  }

  private final RaftCore r;
  /** Rounds started and not yet confirmed, oldest first. */
  private final ArrayDeque<Round> rounds = new ArrayDeque<>();
  /** The round whose heartbeats have not left yet: new reads may still join it. */
  private Round open;
  /** Reads that arrived before this leader committed an entry of its term. */
  private final List<Message> waitingForCommit = new ArrayList<>();
  private long nextRoundId = 1;

  ReadIndex(RaftCore r) {
    this.r = r;
  }

  /** MSG_READ_INDEX on the leader, from the local node (from = 0 or self) or a follower. */
  void onRequest(Message m) {
    if (!r.committedEntryInCurrentTerm()) {
      // Our commit index may be behind the previous leader's until we commit in our term.
      waitingForCommit.add(m);
      return;
    }
    Request req = new Request(m.getFrom(), m.getContext());
    if (r.tracker.isSingleton() || r.lease.holds()) {
      // No other leader can exist now: our commit index is the newest (LeaderLease).
      respond(req, r.log.committed);
      return;
    }
    if (open == null) {
      open = new Round(ByteString.copyFrom(
          ByteBuffer.allocate(16).putLong(r.term).putLong(nextRoundId++).array()));
      open.acks.put(r.id, true);
      rounds.addLast(open);
      r.replication.bcastHeartbeat(open.context);
    }
    open.index = r.log.committed;
    open.requests.add(req);
  }

  /** The Ready took the outgoing messages: the open round's heartbeats are on their way. */
  void onMessagesTaken() {
    open = null;
  }

  void onCommit() {
    if (waitingForCommit.isEmpty() || !r.committedEntryInCurrentTerm()) return;
    List<Message> released = new ArrayList<>(waitingForCommit);
    waitingForCommit.clear();
    for (Message m : released) onRequest(m);
  }

  void onHeartbeatAck(long from, ByteString context) {
    Round acked = null;
    for (Round round : rounds) {
      if (round.context.equals(context)) {
        acked = round;
        break;
      }
    }
    if (acked == null) return;
    acked.acks.put(from, true);
    if (Quorum.voteResult(r.tracker.voters, acked.acks) != VoteResult.WON) return;
    // Confirming a round also confirms every older one: they were all recorded before it.
    while (!rounds.isEmpty()) {
      Round round = rounds.removeFirst();
      if (round == open) open = null;
      for (Request req : round.requests) respond(req, round.index);
      if (round == acked) break;
    }
  }

  /** The context of the newest unconfirmed round, repeated on regular heartbeats in case of loss. */
  ByteString lastPendingContext() {
    return rounds.isEmpty() ? ByteString.EMPTY : rounds.peekLast().context;
  }

  private void respond(Request req, long index) {
    if (req.from() == RaftCore.NONE || req.from() == r.id) {
      r.outbox.addReadState(new ReadState(index, req.context().toByteArray()));
    } else {
      r.send(Message.newBuilder().setTo(req.from()).setType(MessageType.MSG_READ_INDEX_RESP)
          .setIndex(index).setContext(req.context()));
    }
  }

  /** Leadership changed: pending reads are dropped and their callers time out. */
  void reset() {
    rounds.clear();
    open = null;
    waitingForCommit.clear();
  }

  int pendingRounds() {
    return rounds.size();
  }
}
