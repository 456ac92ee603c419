package io.v2store.raft.driver;

import io.v2store.raft.DurableLog;
import io.v2store.raft.RaftDetail;
import io.v2store.raft.RaftStatus;
import io.v2store.raft.RawNode;
import io.v2store.raft.Role;
import io.v2store.raft.ReadState;
import io.v2store.raft.Ready;
import io.v2store.raft.SnapshotInput;
import io.v2store.raft.SnapshotSink;
import io.v2store.raft.SoftState;
import io.v2store.raft.StagedSnapshot;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import io.v2store.raft.pb.SnapshotFile;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one Raft core: one thread at a time owns the {@link RawNode} and the {@link DurableLog},
 * takes inputs from a bounded inbox, and acts on each {@link Ready} in the order its contract
 * gives. That thread is normally the driver's own; a peer's message that finds the core free is
 * handled by the transport thread it arrived on (see {@link #endBatch}), and a few committed
 * entries are applied there too (see ApplyLoop.applyCommitted). Where other classes say "the raft
 * thread", they mean whichever thread holds the core.
 *
 * <p>Group commit falls out of the loop's shape: while one batch is being fsynced, proposals pile
 * up in the inbox, and the next Ready carries all of them to disk in one write.
 */
public final class RaftDriver implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RaftDriver.class.getName());
  private static final int INBOX_CAPACITY = 65_536;
  /**
   * The most write data one proposal message carries (ProposalPaths): well under the 512 MiB
   * frame a peer takes, which a single write never reaches (the client port's body limit).
   */
  private static final long MAX_PROPOSAL_MESSAGE_BYTES = 64L << 20;

  private final String name;
  private final RawNode node;
  private final DurableLog log;
  private final Consumer<List<Message>> transport;
  private final DriverConfig config;
  private final DriverListener listener;
  private final DriverInbox inbox = new DriverInbox(INBOX_CAPACITY);
  /** Held by whichever thread runs a round of the core: the raft thread or a transport thread. */
  private final ReentrantLock core = new ReentrantLock();
  /** The holder of the core's reusable list of the inbox's tasks. */
  private final List<Runnable> batch = new ArrayList<>();
  /** The core had a Ready left after the last round: the raft thread must not sleep. */
  private volatile boolean moreReady;
  /**
   * Requests that are never refused: from the apply thread (apply a conf change, persist a
   * snapshot), never blocking, because the holder of the core may itself be waiting for room in
   * the apply queue; and the transport's report of a snapshot sent, which the leader waits for
   * before it sends that follower anything more, so one lost with a full inbox's peer messages
   * would cut the follower off until the next leader. At most one per conf change or snapshot,
   * so it stays small without a bound.
   */
  private final ConcurrentLinkedQueue<Runnable> neverRefused = new ConcurrentLinkedQueue<>();
  private final AppliedIndex applied;
  private final ApplyLoop applyLoop;
  private final ReadIndexBatches reads;
  private final ProposalPaths proposals;
  private final ForwardedReads forwardedReads;
  /** Writes, syncs and records this member's periodic snapshots. */
  private final OwnSnapshots ownSnapshots;
  /** Written by the holder of the core at each Ready; read by any thread serving reads. */
  private volatile LeaseView lease = LeaseView.NONE;
  private final Thread thread;
  private final RealTimeTicks ticks;
  /**
   * Heartbeats' pace and this leader's snapshots on their way to followers (the log is not
   * compacted meanwhile); whoever holds the core sends its messages and watches them.
   */
  private final OutgoingWatch outgoing;
  private volatile RaftStatus status;
  private volatile boolean running = true;
  private ConfState confState;
  /**
   * Leaders' snapshots received into files and stepped into the core since it last held none
   * (holder of the core): each is installed or else removed.
   */
  private final List<SnapshotFile> receivedFiles = new ArrayList<>();
  /** The index of the last leader's snapshot the core installed (holder of the core). */
  private long installedSnapshotIndex;
  private long leaderId;
  /** The term of the last leader change the listener heard of. */
  private long reportedTerm;

  /**
   * @param snapshotIndex the index of the snapshot the state machine was restored from (0 if none)
   * @param confState the voters as of that snapshot (or the initial configuration)
   */
  public RaftDriver(String name, RawNode node, DurableLog log, Consumer<List<Message>> transport,
      StateMachine stateMachine, long snapshotIndex, ConfState confState, DriverConfig config,
      DriverListener listener) {
    this(name, node, log, transport, stateMachine, snapshotIndex, 0, confState, config, listener);
  }

  /**
   * @param snapshotBytes that snapshot's size, which spaces the next one when snapshots scale
   *     with the state (0: unknown, the next comes at the count alone)
   */
  public RaftDriver(String name, RawNode node, DurableLog log, Consumer<List<Message>> transport,
      StateMachine stateMachine, long snapshotIndex, long snapshotBytes, ConfState confState,
      DriverConfig config, DriverListener listener) {
    this.name = name;
    this.node = node;
    this.log = log;
    this.transport = transport;
    this.config = config;
    this.listener = listener;
    this.confState = confState;
    this.applied = new AppliedIndex(snapshotIndex);
    this.applyLoop = new ApplyLoop(name, stateMachine, applied, snapshotIndex, snapshotBytes,
        config, listener,
        new ApplyLoop.RaftThreadHooks() {
          @Override
          public void applyConfChange(long index, ConfChange change) {
            post(() -> {
              // The core took a newer configuration with a leader's snapshot meanwhile (the
              // apply thread catches up to it later): an older change would rewind the voters.
              if (index <= installedSnapshotIndex) return;
              RaftDriver.this.confState = node.applyConfChange(change);
            });
          }

          @Override
          public long persistSnapshot(long index, StagedSnapshot.Writer data) {
            return ownSnapshots.persist(index, data);
          }

          @Override
          public void beforeLongSnapshot() {
            post(RaftDriver.this::handOverLeadership);
          }
        });
    this.outgoing = new OutgoingWatch(TimeUnit.MILLISECONDS.toNanos(config.tickMillis()), listener);
    this.ownSnapshots = new OwnSnapshots(name, log, config.catchUpEntries(), listener, this::post,
        () -> this.confState, () -> outgoing.snapshots.holdCompaction(System.nanoTime()));
    this.thread = new Thread(this::run, "raft-" + name);
    this.ticks = new RealTimeTicks(config.tickMillis());
    this.forwardedReads = new ForwardedReads(2 * config.tickMillis() * 1_000_000, listener);
    this.reads = new ReadIndexBatches(listener);
    this.proposals = new ProposalPaths(INBOX_CAPACITY, MAX_PROPOSAL_MESSAGE_BYTES, transport,
        listener, inbox::wake);
    this.status = node.status();
  }

  public void start() {
    applyLoop.start();
    thread.start();
  }

  /**
   * Proposes data. The future completes when the core has accepted it into its log (not when it
   * commits: the state machine tells its own waiters that), or fails with
   * {@link ProposalDroppedException} when it certainly will not be committed. data is handed
   * over, not copied (one copy per write fewer): it must not change afterwards; proposing the
   * same array again is fine.
   */
  public CompletableFuture<Void> propose(byte[] data) {
    return proposals.propose(data, status, running);
  }

  public CompletableFuture<Void> proposeConfChange(ConfChange change) {
    CompletableFuture<Void> accepted = new CompletableFuture<>();
    boolean queued = offer(() -> {
      if (node.proposeConfChange(change)) {
        accepted.complete(null);
      } else {
        accepted.completeExceptionally(new ProposalDroppedException("conf change refused"));
      }
    });
    if (!queued) accepted.completeExceptionally(new ProposalDroppedException("too busy"));
    return accepted;
  }

  /**
   * A message from a peer. Dropped when the inbox is full: Raft tolerates lost messages. Reads are
   * answered here, on the transport's thread, when they need nothing from the core: a follower's
   * read on a leader whose lease holds, and the leader's answer to reads we forwarded.
   */
  public void step(Message message) {
    if (stepOutsideTheCore(message)) return;
    if (message.getType() == MessageType.MSG_SNAP) {
      stepSnapshot(message);
    } else {
      offer(() -> node.step(message));
    }
  }

  /**
   * A leader's snapshot, left to the raft thread: installing one takes long. Data received into
   * a file is the driver's to remove if the core does not take it (see {@link #receivedFiles}).
   */
  private void stepSnapshot(Message message) {
    if (!message.getSnapshot().hasDataFile()) {
      offer(() -> node.step(message));
      return;
    }
    SnapshotFile file = message.getSnapshot().getDataFile();
    if (!offer(() -> {
      receivedFiles.add(file);
      node.step(message);
    })) {
      SnapshotSink.discard(file);
    }
  }

  /**
   * As {@link #step}, from a transport that calls {@link #endBatch} on this thread once it has
   * handed over everything one network read brought: what is for the core waits for that call
   * instead of waking the raft thread.
   */
  public void stepInBatch(Message message) {
    if (stepOutsideTheCore(message)) return;
    if (message.getType() == MessageType.MSG_SNAP) {
      stepSnapshot(message);
    } else if (running) {
      inbox.offerQuietly(() -> node.step(message));
    }
  }

  /**
   * The end of a network read's messages (see {@link #stepInBatch}). Their round runs on this
   * thread when the core is free, sparing them a hand-off to the raft thread and its wake-up: on
   * one connection each such hop on a write's path (the follower's append, the leader's
   * acknowledgement) costs tens of microseconds. One round for the read, so a follower still
   * syncs every append that arrived together once. Not while writes wait to be proposed: that
   * round would carry them to disk, and this thread would stop reading the peer's socket (where a
   * follower's forwarded writes arrive) for an fsync, so that they missed the next batch.
   */
  public void endBatch() {
    if (inbox.isEmpty()) return;
    if (!proposals.isEmpty() || !runHere()) inbox.wake();
  }

  /** Answers what needs nothing from the core, on this thread; false if it needs the core. */
  private boolean stepOutsideTheCore(Message message) {
    if (message.getType() == MessageType.MSG_READ_INDEX && message.getFrom() != 0) {
      LeaseView view = lease;
      if (view.validAt(System.nanoTime())) {
        transport.accept(List.of(Message.newBuilder().setType(MessageType.MSG_READ_INDEX_RESP)
            .setFrom(status.id()).setTo(message.getFrom()).setTerm(view.term())
            .setIndex(view.commitIndex()).setContext(message.getContext()).build()));
        return true;
      }
    } else if (proposals.offerForwarded(message)) {
      return true;
    } else if (message.getType() == MessageType.MSG_READ_INDEX_RESP
        && ForwardedReads.owns(message.getContext())) {
      RaftStatus now = status;
      send(forwardedReads.answered(message.getContext(), message.getIndex(), applied, now.id(),
          now.leaderId(), System.nanoTime()));
      return true;
    }
    return false;
  }

  /**
   * Runs one round on the calling thread if the core is free and the round cannot block on a full
   * apply queue; false (nothing done) otherwise. A round may fsync: that is the wait the raft
   * thread would otherwise have had, and the messages are answered sooner.
   */
  private boolean runHere() {
    // The lock is reentrant: a round must never start inside another on the same thread.
    if (!running || core.isHeldByCurrentThread() || !core.tryLock()) return false;
    try {
      if (!running || !applyLoop.hasRoomForRound()) return false;
      round();
    } catch (InterruptedException e) {
      // Unreachable with room in the apply queue; if it happens the round is half done.
      Thread.currentThread().interrupt();
      fail(new IllegalStateException("interrupted in a round of the raft core", e));
    } catch (RuntimeException | Error e) {
      fail(e);
    } finally {
      core.unlock();
    }
    if (moreReady) inbox.wake();
    return true;
  }

  /**
   * A linearizable read point: completes with the read index once this member has applied up to
   * it. A leader whose lease holds answers at once from its commit index; a follower forwards the
   * read to the leader in a batch with every other read waiting (ForwardedReads); otherwise every
   * read waiting when the loop next runs shares one leadership confirmation round.
   */
  public CompletableFuture<Long> readIndex() {
    CompletableFuture<Long> readable = new CompletableFuture<>();
    LeaseView view = lease;
    if (view.validAt(System.nanoTime())) {
      applied.whenApplied(view.commitIndex(), readable);
      return readable;
    }
    RaftStatus now = status;
    if (now.role() == Role.FOLLOWER && now.leaderId() != 0 && now.leaderId() != now.id()) {
      send(forwardedReads.add(readable, now.id(), now.leaderId(), System.nanoTime()));
      return readable;
    }
    reads.add(readable);
    inbox.wake();
    return readable;
  }

  private void send(Message message) {
    if (message != null) transport.accept(List.of(message));
  }

  public void transferLeadership(long transferee) {
    offer(() -> node.transferLeadership(transferee));
  }

  public void campaign() {
    offer(node::campaign);
  }

  /**
   * Brings a fresh member's first campaign forward (RaftCore.advanceElectionTicks); moved is told,
   * on the raft thread, whether the core moved its timer.
   */
  public void advanceElectionTicks(long ticks, java.util.function.Consumer<Boolean> moved) {
    offer(() -> moved.accept(node.advanceElectionTicks(ticks)));
  }

  public void reportUnreachable(long peerId) {
    offer(() -> node.reportUnreachable(peerId));
  }

  public void reportSnapshot(long peerId, boolean failed) {
    outgoing.snapshots.done(failed, System.nanoTime());
    post(() -> node.reportSnapshot(peerId, failed));
  }

  /** The core's state as of the end of the last loop iteration. */
  public RaftStatus status() {
    return status;
  }

  /**
   * The core's whole state, taken by its holder in its next round (the raft thread is woken for
   * it): for diagnostics, not for anything per request.
   */
  public CompletableFuture<RaftDetail> detail() {
    CompletableFuture<RaftDetail> taken = new CompletableFuture<>();
    if (!offer(() -> taken.complete(node.detail()))) {
      taken.completeExceptionally(new ProposalDroppedException("the raft loop is not running"));
    }
    return taken;
  }

  public long appliedIndex() {
    return applied.get();
  }

  private boolean offer(Runnable task) {
    return running && inbox.offer(task);
  }

  private void post(Runnable task) {
    neverRefused.add(task);
    inbox.wake();
  }

  /** Nothing for the core but the next tick (read by the raft thread before it sleeps). */
  private boolean idle() {
    return !moreReady && neverRefused.isEmpty() && reads.nothingToStart() && proposals.isEmpty();
  }

  private void run() {
    while (running) {
      inbox.sleep(ticks.nanosToNext(), this::idle);
      core.lock();
      try {
        if (running) round();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | Error e) {
        fail(e);
      } finally {
        core.unlock();
      }
    }
  }

  /** Holder of the core: everything that has arrived, then the Ready. */
  private void round() throws InterruptedException {
    for (Runnable task; (task = neverRefused.poll()) != null; ) task.run();
    inbox.drainTo(batch);
    // Only reads that arrived before the clock is read below (see ReadIndexBatches.takeWaiting).
    List<CompletableFuture<Long>> readsToStart = reads.takeWaiting();
    // The core's time must not lag real time when it judges its leader lease (a read, or a
    // follower's forwarded read, in this batch). One due tick goes first. After a stall (a
    // long fsync, a pause) the messages that queued meanwhile go before the many ticks: on a
    // leader the acknowledgements, or check-quorum would depose a leader whose followers did
    // answer (the lease is suspended until the core's time has caught up); a follower drops the
    // stall's ticks but one (tickAfterStall).
    long due = ticks.due();
    if (due == 1) node.tick();
    if (due > 1) node.suspendLease();
    try {
      for (Runnable task : batch) task.run();
    } finally {
      batch.clear();
    }
    proposals.proposeWaiting(node);
    if (due > 1) {
      node.tickAfterStall(due);
      node.resumeLease();
    }
    if (due > 0) send(forwardedReads.kick(status.id(), status.leaderId(), System.nanoTime()));
    reads.start(node, readsToStart);
    if (node.hasReady()) handle(node.ready());
    moreReady = node.hasReady();
    if (!moreReady && !receivedFiles.isEmpty()) {
      // The core holds no snapshot to install: those it took are installed (moved away from
      // these names), and the rest it refused (older than its log, say), or a newer one
      // replaced before it was installed.
      receivedFiles.forEach(SnapshotSink::discard);
      receivedFiles.clear();
    }
    status = node.status();
  }

  /**
   * A failed fsync or a broken invariant: continuing could acknowledge writes that are not
   * durable. Stop and let the owner exit. An Error too (a thread that could not be started, a
   * stack overflow): the thread would die with the round half done, and the member would go on
   * answering with a core that never moves again.
   */
  private void fail(Throwable e) {
    LOG.log(Level.SEVERE, "raft loop failed; stopping", e);
    running = false;
    listener.onFatal(e);
  }

  private void handle(Ready ready) throws InterruptedException {
    publishLease();
    // A Ready that only moves the commit index (the leader's on an acknowledgement, a follower's
    // on the leader's next append) has nothing to persist that its committed entries depend on:
    // every entry in the log is already durable here. Applying them first answers their writers
    // before this thread sends the new commit index (on 2 cores, a socket write often yields the
    // core to the reader it wakes) and saves the hard state. Not a conf change: applying one
    // removes a peer from the transport, and a removed member learns of its removal only from
    // the commit index this Ready sends it.
    boolean applyFirst = ready.entries().isEmpty() && ready.snapshot() == null
        && NormalEntries.all(ready.committedEntries());
    if (applyFirst) applyLoop.applyCommitted(ready.committedEntries());
    outgoing.sending(ready.messages(), System.nanoTime());
    transport.accept(ready.messages());
    SnapshotInput installed = null;
    if (ready.snapshot() != null) {
      log.applySnapshot(ready.snapshot());
      // Data in a file is now the log's: read from there (opened now, before a newer snapshot
      // can replace it), as a stream, for it can be larger than one Snapshot holds.
      if (ready.snapshot().hasDataFile()) installed = log.openSnapshot();
    }
    if (!ready.entries().isEmpty() || ready.hardState() != null) {
      listener.onLogSave(ready.savedBytes());
      long start = System.nanoTime();
      log.save(ready.hardState(), ready.entries(), ready.mustSync());
      if (ready.mustSync()) listener.onFsync(System.nanoTime() - start, ready.entries().size());
    }
    transport.accept(ready.messagesAfterPersist());
    if (ready.snapshot() != null) {
      LOG.info(() -> name + ": installing a snapshot from the leader at index "
          + ready.snapshot().getMetadata().getIndex());
      confState = ready.snapshot().getMetadata().getConfState();
      installedSnapshotIndex = ready.snapshot().getMetadata().getIndex();
      if (installed == null) {
        applyLoop.enqueueSnapshot(ready.snapshot());
      } else {
        applyLoop.enqueueSnapshot(ready.snapshot(), installed);
      }
    }
    if (!applyFirst) applyLoop.applyCommitted(ready.committedEntries());
    for (ReadState rs : ready.readStates()) reads.answered(rs, applied);
    if (ready.softState() != null) {
      onSoftState(ready.softState());
    } else if (ready.hardState() != null && ready.hardState().getTerm() != reportedTerm
        && leaderId != 0) {
      // The same leader in a new term: re-elected before this member saw it lose (the vote and
      // its first append in one round, or another leader's short term never heard of here). A
      // write of ours that it dropped meanwhile is re-proposed from here, as on a new leader.
      reportLeader(leaderId);
    }
    node.advance(ready);
  }

  /** Before anything of this Ready leaves or is applied: see LeaseView. */
  private void publishLease() {
    long ticksLeft = node.leaseTicksLeft();
    if (ticksLeft <= 0) {
      lease = LeaseView.NONE;
      return;
    }
    RaftStatus s = node.status();
    lease = new LeaseView(true, ticks.dueTimeOf(ticksLeft), s.commitIndex(), s.term());
  }

  private void onSoftState(SoftState soft) {
    if (soft.leaderId() != leaderId) {
      outgoing.leaderChanged();
      leaderId = soft.leaderId();
      // Reads confirmed by a leader that is gone would never be answered. Their owners may send
      // them again at once, from this thread: the new status is published first, so that they
      // go to the new leader. The forwarded ones first: a round's read sent again is forwarded
      // to the new leader, and failing those next would fail it again (and count a failed and,
      // at its answer, a slow read index for that batch).
      status = node.status();
      forwardedReads.failAll(ProposalDroppedException.onLeaderChange(), false);
      reads.failInFlight(ProposalDroppedException.onLeaderChange(), false);
    }
    reportLeader(soft.leaderId());
  }

  private void reportLeader(long leader) {
    // Published before the listener hears of it: a member re-proposes its pending writes from
    // there (propose reads this), and they must go to the new leader, not to the one before it,
    // which no longer sends on what another member forwarded to it (ProposalPaths.proposeWaiting).
    status = node.status();
    reportedTerm = status.term();
    listener.onLeaderChange(leader, status.role(), reportedTerm);
  }

  /**
   * Holder of the core: this member is about to write a long snapshot (see ApplyLoop); as leader,
   * it hands leadership to its most caught-up follower, as on a graceful stop. Proposals refused
   * during the transfer are proposed again by their owners.
   */
  private void handOverLeadership() {
    RaftDetail detail = node.detail();
    if (detail.role() != Role.LEADER) return;
    long transferee = detail.mostCaughtUpFollower();
    if (transferee == 0) return;
    LOG.info(() -> name + ": handing leadership to " + Long.toHexString(transferee)
        + " before writing a long snapshot");
    node.transferLeadership(transferee);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    inbox.wake();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    applyLoop.close();
    ownSnapshots.close();
    boolean held = false; // a transport thread may be finishing a round
    try {
      held = core.tryLock(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      reads.failInFlight(new ProposalDroppedException("stopping"), true);
      forwardedReads.failAll(new ProposalDroppedException("stopping"), true);
    } finally {
      if (held) core.unlock();
    }
    applied.failAll(new ProposalDroppedException("stopping"));
  }
}
