package io.v2store.raft.driver;

import com.google.protobuf.UnsafeByteOperations;
import io.v2store.raft.RaftStatus;
import io.v2store.raft.RawNode;
import io.v2store.raft.Role;
import io.v2store.raft.pb.Entry;
import io.v2store.raft.pb.EntryType;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The ways a client's write reaches a Raft core: from this member's clients, queued for the core's
 * next round or, on a follower that knows its leader, sent straight to it; and from a follower's
 * clients, forwarded to this member. Whatever waits is proposed in one batch per round.
 */
final class ProposalPaths {
  private final ProposalQueue queue;
  private final Consumer<List<Message>> transport;
  private final DriverListener listener;
  /** Wakes the raft thread for the next round. */
  private final Runnable wake;
  /** The most entry data one proposal message carries, unless one entry alone is more. */
  private final long maxMessageBytes;

  ProposalPaths(int capacity, long maxMessageBytes, Consumer<List<Message>> transport,
      DriverListener listener, Runnable wake) {
    this.queue = new ProposalQueue(capacity);
    this.maxMessageBytes = maxMessageBytes;
    this.transport = transport;
    this.listener = listener;
    this.wake = wake;
  }

  /** Any thread: see RaftDriver.propose. now is the core's latest published status. */
  CompletableFuture<Void> propose(byte[] data, RaftStatus now, boolean running) {
    if (now.role() == Role.FOLLOWER && now.leaderId() != 0 && now.leaderId() != now.id()) {
      // A follower only forwards a proposal to the leader. Sending that message from here, not
      // from the raft loop, spares the client a wait behind the loop's own fsync. It is the
      // message the core would send (MSG_PROP, no term); a leader that is gone by the time it
      // arrives drops it, as it would drop the core's, and the owner re-proposes on a new leader.
      transport.accept(List.of(Message.newBuilder().setType(MessageType.MSG_PROP)
          .setFrom(now.id()).setTo(now.leaderId())
          .addEntries(Entry.newBuilder().setType(EntryType.ENTRY_NORMAL)
              .setData(UnsafeByteOperations.unsafeWrap(data)))
          .build()));
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> accepted = new CompletableFuture<>();
    Entry entry = Entry.newBuilder().setType(EntryType.ENTRY_NORMAL)
        .setData(UnsafeByteOperations.unsafeWrap(data)).build();
    if (!running || !queue.offer(entry, accepted)) {
      accepted.completeExceptionally(new ProposalDroppedException("too busy"));
      return accepted;
    }
    wake.run();
    return accepted;
  }

  /**
   * Any thread: a follower's forwarded writes join the next round's batch (dropped if full: it
   * re-proposes). False if message is not such writes.
   */
  boolean offerForwarded(Message message) {
    if (message.getType() != MessageType.MSG_PROP || message.getTerm() != 0
        || message.getEntriesCount() == 0 || !NormalEntries.all(message.getEntriesList())) {
      return false;
    }
    boolean queued = false;
    for (Entry e : message.getEntriesList()) queued |= queue.offer(e, null);
    if (queued) wake.run(); // for whatever did fit
    return true;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /**
   * Holder of the core: everything proposed since the last round, as one message, or as several
   * where they add up to more than maxMessageBytes: a follower's core forwards each as it is to the
   * leader, and writes queued on a follower while it knew no leader (an election under large
   * writes) could otherwise add up to a message no peer takes (a frame over 512 MiB).
   */
  void proposeWaiting(RawNode node) {
    if (queue.isEmpty()) return;
    List<ProposalQueue.Proposed> batch = queue.drain();
    // A write another member forwarded here goes no further unless this member leads: it may have
    // waited out a pause in our socket, and its proposer re-proposed it to the new leader once
    // known. Sent on, it could be applied twice, the second time past the window in which
    // applying deduplicates a request (after as many writes), overwriting newer writes.
    boolean leads = node.status().role() == Role.LEADER;
    List<ProposalQueue.Proposed> kept = batch;
    if (!leads) {
      kept = new ArrayList<>(batch.size());
      for (ProposalQueue.Proposed p : batch) {
        if (p.accepted() != null) kept.add(p);
      }
    }
    int from = 0;
    while (from < kept.size()) {
      int to = from + 1;
      long bytes = dataBytes(kept.get(from));
      while (to < kept.size() && bytes + dataBytes(kept.get(to)) <= maxMessageBytes) {
        bytes += dataBytes(kept.get(to++));
      }
      proposeTogether(node, kept.subList(from, to));
      from = to;
    }
  }

  private static long dataBytes(ProposalQueue.Proposed p) {
    return p.entry().getData().size();
  }

  private void proposeTogether(RawNode node, List<ProposalQueue.Proposed> together) {
    List<Entry> entries = new ArrayList<>(together.size());
    for (ProposalQueue.Proposed p : together) entries.add(p.entry());
    boolean accepted = node.propose(entries);
    if (!accepted) listener.onProposalDropped();
    for (ProposalQueue.Proposed p : together) {
      if (p.accepted() == null) continue;
      if (accepted) p.accepted().complete(null);
      else p.accepted().completeExceptionally(new ProposalDroppedException("no leader"));
    }
  }
}
