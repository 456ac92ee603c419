package io.v2store.bench.jmh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Leader replication, propose to commit, on a three-member cluster in one JVM over the real Netty
 * peer transport and real RocksDB logs with fsync ({@link ReplicationCluster}).
 *
 * <ul>
 *   <li>{@code one}: one proposal at a time, the latency of a lone write: the leader's fsync and
 *       a follower's fsync (in parallel, pipelined) plus one loopback round trip and the apply
 *       hand-off. Compare it with the disk's own fdatasync latency.
 *   <li>{@code batch}: 256 proposals at once, waited for together; reported per
 *       proposal, so its reciprocal is the commit throughput when group commit batches them.
 * </ul>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ReplicationBenchmark {
  private static final int BATCH = 256;

  @Param("256")
  public int payloadBytes;

  private ReplicationCluster cluster;
  private byte[] payload;

  @Setup(Level.Trial)
  public void start() throws Exception {
    cluster = new ReplicationCluster();
    payload = new byte[Math.max(Long.BYTES, payloadBytes)];
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    System.err.println("replication: " + cluster.fsyncs());
    cluster.close();
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void one() throws Exception {
    cluster.propose(payload).get(10, TimeUnit.SECONDS);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(BATCH)
  public void batch() throws Exception {
    CompletableFuture<?>[] all = new CompletableFuture<?>[BATCH];
    for (int i = 0; i < BATCH; i++) all[i] = cluster.propose(payload);
    CompletableFuture.allOf(all).get(30, TimeUnit.SECONDS);
  }
}
