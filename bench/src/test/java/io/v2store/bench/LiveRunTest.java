package io.v2store.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.server.EtcdMember;
import io.v2store.server.config.ConfigLoader;
import io.v2store.server.config.LoadResult;
import io.v2store.testkit.LoopbackPorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short runs of every mode against one real member (in-process, fsync on, free ports). */
class LiveRunTest {
  @TempDir static Path dataDir;
  private static EtcdMember member;
  private static String endpoint;
  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();
  private final Runner runner = new Runner(new PrintStream(progress, true));

  @BeforeAll
  static void startMember() throws Exception {
    int client = freePort();
    int peer = freePort();
    endpoint = "http://127.0.0.1:" + client;
    String peerUrl = "http://127.0.0.1:" + peer;
    LoadResult loaded = ConfigLoader.load(new String[] {"--name", "b1",
        "--data-dir", dataDir.resolve("b1").toString(), "--listen-client-urls", endpoint,
        "--advertise-client-urls", endpoint, "--listen-peer-urls", peerUrl,
        "--initial-advertise-peer-urls", peerUrl, "--initial-cluster", "b1=" + peerUrl},
        Map.of());
    member = EtcdMember.start(assertInstanceOf(LoadResult.Run.class, loaded).config(),
        e -> { throw new AssertionError("member failed", e); });
  }

  @AfterAll
  static void stopMember() {
    if (member != null) member.close();
  }

  @Test
  void putRunsExactlyTheRequestCount() throws Exception {
    RunResult r = runner.run(config("put", "--conns", "4", "--requests", "200",
        "--hot-keys", "3", "--value-size", "100"));
    assertEquals(200, r.requests());
    assertEquals(0, r.errors());
    assertTrue(r.latency().p50Micros() > 0 && r.latency().p50Micros() <= r.latency().maxMicros());
  }

  /** Connections that never open are errors of the measured run, warm-up or not. */
  @Test
  void connectionsThatNeverOpenAreCountedAfterTheWarmup() throws Exception {
    String closed = "http://127.0.0.1:" + freePort();
    RunResult r = runner.run(configFor(endpoint + "," + closed, "put", "--conns", "4",
        "--duration", "2s", "--warmup", "100ms", "--hot-keys", "3"));
    assertTrue(r.requests() > 0, r.toText());
    assertEquals(2, r.errors(), r.toText());
    assertEquals(1, r.errorKinds().size(), r.toText());
    assertTrue(r.errorKinds().get(0).kind().startsWith("connect failed: "), r.toText());
    RunResult none = runner.run(configFor(closed, "put", "--conns", "3", "--requests", "10"));
    assertEquals(0, none.requests(), none.toText());
    assertEquals(3, none.errors(), none.toText());
  }

  @Test
  void quorumGetsToTheLeaderAndMixedRuns() throws Exception {
    RunResult get = runner.run(config("get", "--conns", "2", "--requests", "100", "--quorum",
        "--keys", "20", "--leader"));
    assertEquals(100, get.requests());
    assertEquals(0, get.errors());
    RunResult mixed = runner.run(config("mixed", "--conns", "3", "--requests", "90",
        "--keys", "20", "--read-percent", "70"));
    assertEquals(90, mixed.requests());
    assertEquals(0, mixed.errors());
  }

  @Test
  void everyWatcherGetsEveryWriteWhileReArming() throws Exception {
    for (String recursive : new String[] {"--no-progress", "--recursive"}) {
      RunResult r = runner.run(config("watch", "--watchers", "20", "--write-rate", "100",
          "--requests", "30", "--warmup", "50ms", recursive));
      assertEquals(30, r.requests(), recursive);
      assertEquals(0, r.missedEvents(), recursive);
      assertEquals(0, r.errors(), recursive);
      assertEquals(30, r.latency().count(), recursive);
    }
  }

  /** --leader finds the leader among the members that answer. */
  @Test
  void leaderIsFoundWithAnotherMemberDown() throws Exception {
    String closed = "http://127.0.0.1:" + freePort();
    RunResult r = runner.run(configFor(closed + "," + endpoint, "put", "--leader",
        "--requests", "20"));
    assertEquals(20, r.requests(), r.toText());
    assertEquals("[" + endpoint + "]", r.target());
  }

  /** Keys a read run needs, or the watch run's first write, failing: the error says where. */
  @Test
  void aFailedSetupNamesTheEndpoint() throws Exception {
    String closed = "http://127.0.0.1:" + freePort();
    for (String mode : new String[] {"get", "watch"}) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = Main.run(new String[] {mode, "--endpoints", closed + "," + endpoint,
          "--requests", "5", "--no-progress"}, new PrintStream(new ByteArrayOutputStream()),
          new PrintStream(err, true));
      assertEquals(1, code, err.toString());
      assertTrue(err.toString().contains(closed) && err.toString().contains("ConnectException"),
          err.toString());
    }
  }

  /** A watcher that cannot connect is an error; the others' events are counted and timed. */
  @Test
  void watchersThatCannotConnectAreErrorsNotMissesAndDoNotStallTheRun() throws Exception {
    String closed = "http://127.0.0.1:" + freePort();
    RunResult r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> runner.run(
        configFor(endpoint + "," + closed, "watch", "--watchers", "6", "--write-rate", "100",
            "--requests", "10", "--warmup", "50ms")));
    assertEquals(10, r.requests(), r.toText());
    assertEquals(0, r.missedEvents(), r.toText());
    assertEquals(3, r.errors(), r.toText());
    assertTrue(r.errorKinds().get(0).kind().startsWith("watch: connect failed: "), r.toText());
    assertEquals(10, r.latency().count(), r.toText());
  }

  /** Watchers that re-arm late miss writes while away and must catch up from the history. */
  @Test
  void watchersThatReArmLateStillSeeEveryWrite() throws Exception {
    RunResult r = runner.run(config("watch", "--watchers", "20", "--write-rate", "100",
        "--rearm-after", "35ms", "--requests", "30", "--warmup", "50ms"));
    assertEquals(30, r.requests());
    assertEquals(0, r.missedEvents());
    assertEquals(0, r.errors());
  }

  @Test
  void watchTracePrintsWhenEveryWatcherHadEachWrite() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"watch", "--endpoints", endpoint, "--watchers", "7",
        "--write-rate", "100", "--requests", "5", "--warmup", "50ms", "--no-progress", "--trace"},
        new PrintStream(out, true), new PrintStream(err, true));
    assertEquals(0, code, err.toString());
    for (int write = 0; write < 5; write++) {
      assertTrue(err.toString().matches("(?s).*write " + write
          + ": 7 watchers, ms from its ack: first -?[0-9.]+, p50 .*, last -?[0-9.]+; "
          + "endpoint 0 -?[0-9.]+\\.\\.-?[0-9.]+\n.*"), err.toString());
    }
  }

  @Test
  void compareModePrintsJsonRatiosFromTheCommandLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"compare", "put", "--a", endpoint, "--b", endpoint,
        "--requests", "40", "--warmup", "0", "--conns", "2", "--json", "--no-progress"},
        new PrintStream(out, true), new PrintStream(progress, true));
    assertEquals(0, code, progress.toString());
    String json = out.toString().strip();
    assertTrue(json.startsWith("{\"workload\":\"put unique keys"), json);
    assertTrue(json.matches("(?s).*\"ratio\":\\{\"requestsPerSecond\":[0-9.]+,.*"), json);
    assertEquals(4, json.split("\"requests\":40,").length - 1, json);
  }

  @Test
  void compareRunsWarmupRoundsOnBothSidesAndRecordsOnlyTheMeasuredOnes() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"compare", "put", "--a", endpoint, "--b", endpoint,
        "--requests", "10", "--warmup", "0", "--rounds", "1", "--warmup-rounds", "2",
        "--prefix", "/warmed", "--json", "--no-progress"},
        new PrintStream(out, true), new PrintStream(progress, true));
    assertEquals(0, code, progress.toString());
    String json = out.toString().strip();
    assertEquals(2, json.split("\"requests\":10,").length - 1, json);
    // every run writes its unique keys under a directory of its own: 2 x 2 warm-up runs and the
    // 2 measured ones
    HttpResponse<String> runs = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(endpoint + "/v2/keys/warmed/u")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, runs.statusCode(), runs.body());
    assertEquals(6, runs.body().split("\"key\":\"/warmed/u/").length - 1, runs.body());
  }

  private static BenchConfig config(String mode, String... flags) {
    return configFor(endpoint, mode, flags);
  }

  private static BenchConfig configFor(String endpoints, String mode, String... flags) {
    String[] args = new String[flags.length + 5];
    args[0] = mode;
    args[1] = "--endpoints";
    args[2] = endpoints;
    args[3] = "--threads";
    args[4] = "1";
    System.arraycopy(flags, 0, args, 5, flags.length);
    BenchArgs.Single single = assertInstanceOf(BenchArgs.Single.class, BenchArgs.parse(args));
    return single.config();
  }

  private static int freePort() {
    return LoopbackPorts.next();
  }
}
