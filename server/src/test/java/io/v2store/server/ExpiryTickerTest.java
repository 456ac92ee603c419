package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.v2store.raft.MemoryLog;
import io.v2store.raft.RaftConfig;
import io.v2store.raft.RawNode;
import io.v2store.raft.pb.ConfChange;
import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.Snapshot;
import io.v2store.raft.driver.DriverConfig;
import io.v2store.raft.driver.DriverListener;
import io.v2store.raft.driver.RaftDriver;
import io.v2store.raft.driver.StateMachine;
import io.v2store.storage.pb.V2Request;
import io.v2store.storage.store.KeySpace;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The leader's SYNC proposals, which are what expires TTL keys on every member. */
class ExpiryTickerTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * A check that fails once is retried on the next tick. A scheduled task that throws is never
   * run again: before, one failed check left a leader that never expired a TTL key again, with
   * nothing in the log.
   */
  @Test
  void aFailedCheckIsRetriedOnTheNextTick() throws Exception {
    KeySpace keySpace = new KeySpace(KeySpace.DEFAULT_HISTORY);
    long past = ExpiryTicker.nowNanos(Clock.fixed(NOW.minusSeconds(1), ZoneOffset.UTC));
    keySpace.set("/ttl", false, "v", past, false);
    AtomicInteger reads = new AtomicInteger();
    Clock failingOnce = new Clock() {
      @Override
      public Instant instant() {
        if (reads.getAndIncrement() == 0) throw new IllegalStateException("injected");
        return NOW;
      }

      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }
    };
    CountDownLatch synced = new CountDownLatch(1);
    MemoryLog log = MemoryLog.withVoters(1);
    RaftDriver driver = new RaftDriver("m1", new RawNode(RaftConfig.defaults(1), log), log,
        messages -> {}, new SyncRecorder(synced), 0, ConfState.newBuilder().addVoters(1).build(),
        new DriverConfig(10, 1_000_000, 2, 64), DriverListener.NONE);
    ExpiryTicker ticker = new ExpiryTicker("m1", driver, keySpace, failingOnce);
    try {
      driver.start();
      driver.campaign();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (driver.status().role() != io.v2store.raft.Role.LEADER) {
        assertTrue(System.nanoTime() < deadline, "a member alone leads");
        Thread.sleep(1);
      }
      ticker.start(10);
      assertTrue(synced.await(10, TimeUnit.SECONDS),
          "a SYNC was proposed after the failed check (clock read " + reads.get() + " times)");
    } finally {
      ticker.close();
      driver.close();
    }
  }

  /** Counts down on the first SYNC applied. */
  private record SyncRecorder(CountDownLatch synced) implements StateMachine {
    @Override
    public void applyEntry(long index, ByteString data) {
      if (data.isEmpty()) return;
      try {
        if (V2Request.parseFrom(data).getMethod() == V2Request.Method.SYNC) synced.countDown();
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void applyConfChange(long index, ConfChange change) {}

    @Override
    public byte[] snapshot() {
      return new byte[0];
    }

    @Override
    public void restore(Snapshot snapshot) {}
  }
}
