package io.v2store.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The histogram summary, the JSON and text reports, the ratios and the watch-body scanner. */
class ReportTest {
  @Test
  void percentilesComeFromTheHistogramInMicros() {
    Latencies l = new Latencies();
    for (int i = 1; i <= 100; i++) l.recordNanos(i * 1_000_000L); // 1..100 ms
    l.error(ErrorKinds.CLOSED);
    Latencies.Summary s = l.summary();
    assertEquals(100, s.count());
    assertEquals(100, l.ok());
    assertEquals(1, l.errors());
    assertNear(50_000, s.p50Micros());
    assertNear(90_000, s.p90Micros());
    assertNear(99_000, s.p99Micros());
    assertNear(100_000, s.maxMicros());
    l.reset();
    assertEquals(0, l.summary().count());
    assertEquals(0, l.errors());
    assertEquals(List.of(), l.errorKinds());
  }

  @Test
  void errorsAreCountedByKindAndReported() {
    Latencies l = new Latencies();
    for (int i = 0; i < 3; i++) {
      // the same failure at different indexes is one kind
      l.error(ErrorKinds.of(answer(HttpResponseStatus.INTERNAL_SERVER_ERROR, "{\"errorCode\":300,"
          + "\"message\":\"Raft Internal Error\",\"cause\":\"etcdserver: request timed out\","
          + "\"index\":" + (1000 + i) + "}\n")));
    }
    l.error(ErrorKinds.CLOSED);
    String timedOut = "HTTP 500 {\"errorCode\":300,\"message\":\"Raft Internal Error\","
        + "\"cause\":\"etcdserver: request timed out\"}";
    assertEquals(List.of(new ErrorKinds.Kind(timedOut, 3), new ErrorKinds.Kind("connection closed",
        1)), l.errorKinds());
    RunResult r = new RunResult("put", "t", 10, 4, 1000,
        new Latencies.Summary(10, 1, 1, 1, 1), -1, null, l.errorKinds());
    assertTrue(r.toText().contains("\n  error 3 x " + timedOut + "\n  error 1 x connection closed"),
        r.toText());
    assertTrue(r.toJson().endsWith(",\"missedEvents\":-1,\"errorKinds\":{"
        + RunResult.quote(timedOut) + ":3,\"connection closed\":1}}"), r.toJson());
    Comparison c = new Comparison();
    c.add(r, result(1000, 3000));
    c.add(r, result(1000, 3000));
    assertTrue(c.toText().contains("A error 6 x " + timedOut + "\n"), c.toText());
    assertTrue(!c.toText().contains("B error"), c.toText());
  }

  @Test
  void errorKindsStayBounded() {
    ErrorKinds kinds = new ErrorKinds();
    for (int i = 0; i < 100; i++) kinds.add("kind " + i);
    kinds.add("kind 3");
    assertEquals(ErrorKinds.MAX_KINDS + 1, kinds.snapshot().size());
    assertEquals(new ErrorKinds.Kind(ErrorKinds.OTHER, 100 - ErrorKinds.MAX_KINDS),
        kinds.snapshot().get(0));
    assertEquals(new ErrorKinds.Kind("kind 3", 2), kinds.snapshot().get(1));
    String longBody = "x".repeat(1000);
    assertEquals("HTTP 503 " + "x".repeat(160) + "...",
        ErrorKinds.of(answer(HttpResponseStatus.SERVICE_UNAVAILABLE, longBody)));
    assertEquals("HTTP 502", ErrorKinds.of(answer(HttpResponseStatus.BAD_GATEWAY, "")));
  }

  private static FullHttpResponse answer(HttpResponseStatus status, String body) {
    return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
  }

  @Test
  void jsonHasEveryFieldAndEscapesText() {
    RunResult r = new RunResult("put \"x\"", "[http://a:1]", 2000, 3, 4000,
        new Latencies.Summary(2000, 1500, 2500, 9000, 12000), -1);
    assertEquals("{\"workload\":\"put \\\"x\\\"\",\"target\":\"[http://a:1]\",\"requests\":2000,"
        + "\"errors\":3,\"elapsedMillis\":4000,\"requestsPerSecond\":500.0,\"p50Micros\":1500,"
        + "\"p90Micros\":2500,\"p99Micros\":9000,\"maxMicros\":12000,\"missedEvents\":-1}",
        r.toJson());
    assertTrue(r.toText().contains("500 req/s"), r.toText());
    assertTrue(r.toText().contains("p99 9.00 ms"), r.toText());
  }

  @Test
  void aWatchRunReportsTheWriterOwnLatencyToo() {
    RunResult r = new RunResult("watch", "t", 20, 0, 10_000,
        new Latencies.Summary(20, 90_000, 150_000, 200_000, 200_000), 0,
        new Latencies.Summary(20, 1_200, 2_000, 3_400, 3_400));
    assertTrue(r.toJson().endsWith(
        "\"missedEvents\":0,\"writerP50Micros\":1200,\"writerP99Micros\":3400}"), r.toJson());
    assertTrue(r.toText().contains("the writer's own writes: p50 1.20 ms  p99 3.40 ms"),
        r.toText());
    Comparison c = new Comparison();
    c.add(r, r);
    assertTrue(c.toText().contains("the writer's own writes, p50: A 1.20 ms, B 1.20 ms"),
        c.toText());
  }

  @Test
  void comparisonTakesMediansPerSideAndRatiosAOverB() {
    Comparison c = new Comparison();
    c.add(result(3000, 900), result(1000, 3000));
    c.add(result(5000, 700), result(1000, 3000));
    c.add(result(4000, 800), result(2000, 1000));
    assertEquals(4.0, c.throughputRatio(), 1e-9); // medians: 4000 / 1000 per second
    assertEquals(800.0 / 3000, c.p99Ratio(), 1e-9);
    String json = c.toJson();
    assertTrue(json.contains("\"ratio\":{\"requestsPerSecond\":4.000,"), json);
    assertTrue(c.toText().contains("4.00x"), c.toText());
  }

  @Test
  void comparisonSaysHowLongEachRoundWaitedForAQuietMachine() {
    Comparison c = new Comparison();
    c.add(result(3000, 900), new QuietMachine.Settle(7000, 0.23, true),
        result(1000, 3000), new QuietMachine.Settle(500, 0.02, true));
    c.add(result(3000, 900), new QuietMachine.Settle(30_000, 1.5, false),
        result(1000, 3000), new QuietMachine.Settle(500, 0.0, true));
    String json = c.toJson();
    assertTrue(json.endsWith(",\"settle\":{\"a\":[{\"waitedMillis\":7000,\"busyCores\":0.23,"
        + "\"quiet\":true},{\"waitedMillis\":30000,\"busyCores\":1.50,\"quiet\":false}],"
        + "\"b\":[{\"waitedMillis\":500,\"busyCores\":0.02,\"quiet\":true},"
        + "{\"waitedMillis\":500,\"busyCores\":0.00,\"quiet\":true}]}}"), json);
    assertTrue(c.toText().contains("waited for a quiet machine before each round: A up to 30.0 s,"
        + " B up to 0.5 s (1 round(s) started on a busy machine)"), c.toText());
    Comparison plain = new Comparison();
    plain.add(result(3000, 900), result(1000, 3000));
    assertTrue(!plain.toJson().contains("settle") && !plain.toText().contains("quiet"));
  }

  @Test
  void watchBodyScannerReadsTheNodeNotThePrevNode() {
    ByteBuf body = utf8("{\"action\":\"set\",\"node\":{\"key\":\"/w/key\",\"value\":\"41\","
        + "\"modifiedIndex\":1234,\"createdIndex\":1234},\"prevNode\":{\"key\":\"/w/key\","
        + "\"value\":\"40\",\"modifiedIndex\":1233,\"createdIndex\":1233}}\n");
    assertEquals(1234, WatchBody.modifiedIndex(body));
    assertEquals(41, WatchBody.valueNumber(body));
    ByteBuf cleared = utf8("{\"errorCode\":401,\"message\":\"The event in requested index is "
        + "outdated and cleared\",\"cause\":\"the requested history has been cleared [9/2]\","
        + "\"index\":1008}\n");
    assertEquals(1008, WatchBody.errorIndex(cleared));
    assertEquals(-1, WatchBody.modifiedIndex(cleared));
    assertEquals(-1, WatchBody.valueNumber(utf8("{\"node\":{\"value\":\"-1\"}}")));
  }

  @Test
  void fanoutRecordsEachWriteOnceWhicheverSideCompletesIt() {
    Latencies l = new Latencies();
    FanoutTracker t = new FanoutTracker(2, 4, l);
    t.arrived(0, 1_000_000);          // a watcher before the ack: counts as zero
    t.acked(0, 2_000_000);
    t.arrived(0, 1_500_000);
    t.acked(1, 10_000_000);
    t.arrived(1, 13_000_000);
    t.arrived(1, 15_000_000);
    t.acked(2, 20_000_000);
    t.arrived(2, 21_000_000);         // one watcher never gets write 2
    assertEquals(2, l.summary().count());
    assertEquals(5_000, l.summary().maxMicros(), 10);
    assertEquals(0, l.summary().p50Micros());
    assertEquals(false, t.complete(3));
    assertEquals(1, t.missed(3));
    assertEquals(true, t.complete(2));
  }

  /** A write no watcher had (it failed, or every watcher missed it) does not end the trace. */
  @Test
  void traceGoesOnPastAWriteNoWatcherHad() {
    FanoutTracker t = new FanoutTracker(1, 4, new Latencies());
    FanoutTrace trace = new FanoutTrace(1, 1);
    for (int seq : new int[] {0, 2}) {
      t.acked(seq, 1_000_000L * (seq + 1));
      trace.arrived(seq, 1_000_000L * (seq + 1) + 500_000, 0);
    }
    t.acked(1, 2_000_000);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    trace.print(new java.io.PrintStream(out, true), t);
    String lines = out.toString();
    assertTrue(lines.contains("write 0: 1 watchers"), lines);
    assertTrue(lines.contains("write 2: 1 watchers"), lines);
    assertTrue(!lines.contains("write 1:"), lines);
  }

  private static RunResult result(long perSecond, long p99Micros) {
    return new RunResult("w", "t", perSecond * 10, 0, 10_000,
        new Latencies.Summary(perSecond * 10, p99Micros / 2, p99Micros, p99Micros, p99Micros),
        -1);
  }

  private static ByteBuf utf8(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
  }

  private static void assertNear(long expected, long actual) {
    assertTrue(Math.abs(expected - actual) <= expected / 100 + 1, expected + " vs " + actual);
  }
}
