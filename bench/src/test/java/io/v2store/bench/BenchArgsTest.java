package io.v2store.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchArgsTest {
  @Test
  void putWithEveryValueFormAndDefaults() {
    BenchConfig c = single("put", "--endpoints", "127.0.0.1:1,http://h:2", "--conns=256",
        "--duration", "2.5s", "--hot-keys", "8", "--value-size", "100", "--leader", "--json");
    assertEquals(Mode.PUT, c.mode());
    assertEquals(List.of(URI.create("http://127.0.0.1:1"), URI.create("http://h:2")),
        c.endpoints());
    assertEquals(256, c.connections());
    assertEquals(2500, c.durationMillis());
    assertEquals(0, c.requestCount());
    assertEquals(8, c.hotKeys());
    assertEquals(100, c.valueBytes());
    assertTrue(c.toLeader());
    assertTrue(c.json());
    assertTrue(c.progress());
    assertEquals(1000, c.warmupMillis());
    assertEquals("/bench", c.prefix());
  }

  /** Keys are the prefix and "/...": no doubled slash, which the servers answer with a 301. */
  @Test
  void prefixIsKeptCleanOfExtraSlashes() {
    assertEquals("/b", single("put", "--endpoints", "a:1", "--prefix", "/b/").prefix());
    assertEquals("/b/c", single("get", "--endpoints", "a:1", "--prefix", "//b//c/").prefix());
    BenchConfig root = single("get", "--endpoints", "a:1", "--prefix", "/");
    assertEquals("/r/7", RequestFactory.readKey(root.prefix(), 7));
  }

  @Test
  void aRequestCountAloneMeansNoDuration() {
    BenchConfig c = single("get", "--endpoints", "a:1", "--requests", "500", "--quorum",
        "--no-progress", "--warmup", "0");
    assertEquals(500, c.requestCount());
    assertEquals(0, c.durationMillis());
    assertEquals(0, c.warmupMillis());
    assertTrue(c.quorum());
    assertFalse(c.progress());
    assertFalse(c.trace());
    assertTrue(single("watch", "--endpoints", "a:1", "--trace").trace());
  }

  @Test
  void watchFlags() {
    BenchConfig c = single("watch", "--endpoints", "a:1", "--watchers", "5000", "--recursive",
        "--write-rate", "50", "--duration", "1m");
    assertEquals(5000, c.watchers());
    assertTrue(c.recursive());
    assertEquals(50, c.writesPerSecond());
    assertEquals(60_000, c.durationMillis());
    assertEquals(0, c.rearmMillis());
    assertEquals(100, single("watch", "--endpoints", "a:1", "--rearm-after", "100ms").rearmMillis());
    assertEquals(30_000, c.answerTimeoutMillis());
    assertEquals("30 s", c.answerTimeoutText());
    assertEquals(10_000, c.drainMillis());
    BenchConfig quick = single("watch", "--endpoints", "a:1", "--answer-timeout", "250ms",
        "--drain", "0s");
    assertEquals("250 ms", quick.answerTimeoutText());
    assertEquals(0, quick.drainMillis());
  }

  @Test
  void compareGivesTheSameWorkloadTwoEndpointSets() {
    BenchArgs.Compare c = assertInstanceOf(BenchArgs.Compare.class, BenchArgs.parse("compare",
        "mixed", "--a", "a:1,a:2", "--b", "b:1", "--rounds", "3", "--read-percent", "90"));
    assertEquals(3, c.rounds());
    assertEquals(0, c.warmupRounds());
    assertEquals(2, c.a().endpoints().size());
    assertEquals(List.of(URI.create("http://b:1")), c.b().endpoints());
    assertEquals(90, c.a().readPercent());
    assertEquals(c.a().withEndpoints(c.b().endpoints()), c.b());
  }

  @Test
  void compareTakesUnmeasuredWarmupRounds() {
    BenchArgs.Compare c = assertInstanceOf(BenchArgs.Compare.class, BenchArgs.parse("compare",
        "get", "--a", "a:1", "--b", "b:1", "--warmup-rounds", "2"));
    assertEquals(2, c.warmupRounds());
    assertEquals(2, c.rounds());
    assertThrows(BenchArgs.UsageException.class, () -> BenchArgs.parse("compare", "get",
        "--a", "a:1", "--b", "b:1", "--warmup-rounds", "-1"));
  }

  @Test
  void compareWaitsForAQuietMachineOnlyWhenAsked() {
    BenchArgs.Compare plain = assertInstanceOf(BenchArgs.Compare.class, BenchArgs.parse("compare",
        "get", "--a", "a:1", "--b", "b:1"));
    assertEquals(0, plain.settleMillis());
    BenchArgs.Compare c = assertInstanceOf(BenchArgs.Compare.class, BenchArgs.parse("compare",
        "get", "--a", "a:1", "--b", "b:1", "--settle", "20s", "--settle-cores", "0.5"));
    assertEquals(20_000, c.settleMillis());
    assertEquals(0.5, c.settleCores());
    assertRejected("--settle-cores must be > 0", "compare", "get", "--a", "a:1", "--b", "b:1",
        "--settle-cores", "0");
  }

  @Test
  void durations() {
    assertEquals(250, BenchArgs.durationMillis("250ms"));
    assertEquals(3000, BenchArgs.durationMillis("3"));
    assertEquals(120_000, BenchArgs.durationMillis("2m"));
  }

  @Test
  void rejectsWhatItCannotRun() {
    assertRejected("no mode given", "--endpoints", "a:1");
    assertRejected("unknown mode", "delete", "--endpoints", "a:1");
    assertRejected("--endpoints is required", "put");
    assertRejected("unknown flag", "put", "--endpoints", "a:1", "--bogus", "1");
    assertRejected("needs a number", "put", "--endpoints", "a:1", "--conns", "many");
    assertRejected("at least 1", "put", "--endpoints", "a:1", "--conns", "0");
    assertRejected("host:port", "put", "--endpoints", "http://nohost");
    assertRejected("only http://", "put", "--endpoints", "https://127.0.0.1:2379");
    assertRejected("only http://", "watch", "--endpoints", "127.0.0.1:2379,https://b:2379");
    assertRejected("with a path", "put", "--endpoints", "http://127.0.0.1:2379/etcd");
    assertEquals(2, BenchArgs.endpoints("127.0.0.1:2379, HTTP://127.0.0.1:22379/").size());
    assertRejected("bad endpoint", "put", "--endpoints", "http://a b:1");
    assertRejected("host:port", "put", "--endpoints", "127.0.0.1:99999");
    assertRejected("out of range", "put", "--endpoints", "a:1", "--conns", "4294967297");
    assertRejected("at most", "put", "--endpoints", "a:1", "--value-size", "2147483647");
    assertRejected("only http://", "compare", "put", "--a", "a:1", "--b", "https://b:1");
    assertRejected("needs a value", "put", "--endpoints");
    assertRejected("--b is required", "compare", "put", "--a", "a:1");
    assertRejected("0..100", "mixed", "--endpoints", "a:1", "--read-percent", "101");
    assertRejected("--warmup must be >= 0", "watch", "--endpoints", "a:1", "--warmup", "-1s");
    assertRejected("--hot-keys must be >= 0", "put", "--endpoints", "a:1", "--hot-keys", "-3");
    assertRejected("--keys must be >= 1", "get", "--endpoints", "a:1", "--keys", "0");
    assertRejected("--keys must be >= 1", "mixed", "--endpoints", "a:1", "--keys", "-1");
    assertRejected("--answer-timeout must be > 0", "put", "--endpoints", "a:1",
        "--answer-timeout", "0s");
    assertRejected("--drain must be >= 0", "watch", "--endpoints", "a:1", "--drain", "-1s");
  }

  @Test
  void usageErrorsExitTwoWithTheUsage() {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = Main.run(new String[] {"put"}, new java.io.PrintStream(
        new java.io.ByteArrayOutputStream()), new java.io.PrintStream(err, true));
    assertEquals(2, code);
    assertTrue(err.toString().contains("usage: bench"), err.toString());
  }

  private static BenchConfig single(String... args) {
    return assertInstanceOf(BenchArgs.Single.class, BenchArgs.parse(args)).config();
  }

  private static void assertRejected(String messagePart, String... args) {
    BenchArgs.UsageException e =
        assertThrows(BenchArgs.UsageException.class, () -> BenchArgs.parse(args));
    assertTrue(e.getMessage().contains(messagePart), e.getMessage());
  }
}
