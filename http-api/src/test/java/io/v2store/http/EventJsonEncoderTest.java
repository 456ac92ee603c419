package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.v2store.storage.store.Action;
import io.v2store.storage.store.EtcdError;
import io.v2store.storage.store.Event;
import io.v2store.storage.store.KeySpace;
import io.v2store.storage.store.NodeView;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonEncoderTest {
  private static final Instant NOW = Instant.parse("2026-11-25T03:43:02.1562995Z");
  private final EventJsonEncoder encoder =
      new EventJsonEncoder(Clock.fixed(NOW, ZoneOffset.UTC));
  private final long now = EventJsonEncoder.epochNanos(NOW);

  private String encode(Event e, boolean noValue) {
    ByteBuf buf = Unpooled.buffer();
    encoder.writeEvent(buf, e, noValue, now);
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static NodeView key(String k, String v, long mod, long created) {
    return new NodeView(k, v, false, NodeView.NEVER, null, mod, created);
  }

  private static NodeView dir(String k, long index, NodeView... nodes) {
    return new NodeView(k, null, true, NodeView.NEVER, List.of(nodes), index, index);
  }

  @Test
  void aListingWritesEachLevelsChildrenBetweenItsOwnFields() {
    NodeView root = new NodeView(null, null, true, NodeView.NEVER,
        List.of(dir("/a", 2, key("/a/x", "1", 3, 3), dir("/a/e", 4), dir("/a/f", 5,
            key("/a/f/y", "2", 6, 6))), key("/b", "3", 7, 7)), 0, 0);
    ByteBuf buf = Unpooled.buffer();
    encoder.writeNode(buf, root, now, true);
    assertEquals("{\"dir\":true,\"nodes\":["
        + "{\"key\":\"/a\",\"dir\":true,\"nodes\":["
        + "{\"key\":\"/a/x\",\"value\":\"1\",\"modifiedIndex\":3,\"createdIndex\":3},"
        + "{\"key\":\"/a/e\",\"dir\":true,\"modifiedIndex\":4,\"createdIndex\":4},"
        + "{\"key\":\"/a/f\",\"dir\":true,\"nodes\":["
        + "{\"key\":\"/a/f/y\",\"value\":\"2\",\"modifiedIndex\":6,\"createdIndex\":6}],"
        + "\"modifiedIndex\":5,\"createdIndex\":5}],\"modifiedIndex\":2,\"createdIndex\":2},"
        + "{\"key\":\"/b\",\"value\":\"3\",\"modifiedIndex\":7,\"createdIndex\":7}]}",
        buf.toString(StandardCharsets.UTF_8));
    buf.clear();
    encoder.writeNode(buf, root.nodes().get(0), now, false); // a prevNode: never expanded
    assertEquals("{\"key\":\"/a\",\"dir\":true,\"modifiedIndex\":2,\"createdIndex\":2}",
        buf.toString(StandardCharsets.UTF_8));
  }

  /**
   * A listing as deep as a key's path, on a stack a quarter of an event loop's: the encoder must
   * not take a frame per level (an interpreted one ran out near 2,000 levels on the real server).
   */
  @Test
  void aDeepListingIsWrittenWithoutAFramePerLevel() throws Exception {
    int levels = 50_000;
    NodeView n = key("/k", "v", 1, 1);
    for (int i = 1; i < levels; i++) {
      n = dir("/k", 1, n);
    }
    NodeView top = n;
    ByteBuf buf = Unpooled.buffer();
    Throwable[] failure = new Throwable[1];
    Thread t = new Thread(null, () -> {
      try {
        encoder.writeNode(buf, top, now, true);
      } catch (Throwable e) {
        failure[0] = e;
      }
    }, "small-stack", 256 * 1024);
    t.start();
    t.join();
    if (failure[0] != null) {
      throw new AssertionError(failure[0]);
    }
    String open = "{\"key\":\"/k\",\"dir\":true,\"nodes\":[";
    String close = "],\"modifiedIndex\":1,\"createdIndex\":1}";
    String expected = open.repeat(levels - 1)
        + "{\"key\":\"/k\",\"value\":\"v\",\"modifiedIndex\":1,\"createdIndex\":1}"
        + close.repeat(levels - 1);
    assertEquals(expected, buf.toString(StandardCharsets.UTF_8));
  }

  @Test
  void setOverExistingKeyWithTtlAndPrevNode() {
    NodeView node = new NodeView("/a", "v", false, now + 100_000_000_000L, null, 5, 5);
    Event e = new Event(Action.SET, node, key("/a", "old", 4, 3), 5, false);
    assertEquals("{\"action\":\"set\",\"node\":{\"key\":\"/a\",\"value\":\"v\","
        + "\"expiration\":\"2026-11-25T03:44:42.1562995Z\",\"ttl\":100,"
        + "\"modifiedIndex\":5,\"createdIndex\":5},"
        + "\"prevNode\":{\"key\":\"/a\",\"value\":\"old\",\"modifiedIndex\":4,\"createdIndex\":3}}\n",
        encode(e, false));
  }

  /** As etcd: an event shows its ttl as of when it was made, however late it is read. */
  @Test
  void anEventMadeByAWriteShowsItsTtlAsOfTheWriteNotTheReader() {
    KeySpace keySpace = new KeySpace(10);
    keySpace.setEventClock(now);
    Event set = keySpace.set("/a", false, "v", now + 60_000_000_000L, false);
    Event expired = keySpace.expire(now + 60_400_000_000L).get(0); // the tick runs a bit late
    long tenSecondsLater = now + 10_000_000_000L;
    ByteBuf buf = Unpooled.buffer();
    encoder.writeEvent(buf, set, false, tenSecondsLater);
    assertTrue(buf.toString(StandardCharsets.UTF_8).contains("\"ttl\":60,"),
        buf.toString(StandardCharsets.UTF_8));
    buf.clear();
    // The expire event's prevNode is shown as of the expiry: no ttl, even read much later.
    encoder.writeEvent(buf, expired, false, now + 100_000_000_000L);
    assertFalse(buf.toString(StandardCharsets.UTF_8).contains("ttl"),
        buf.toString(StandardCharsets.UTF_8));
    // A read (no write's clock) is shown against the reader's clock.
    buf.clear();
    KeySpace readable = new KeySpace(10);
    readable.set("/b", false, "v", now + 60_000_000_000L, false);
    encoder.writeEvent(buf, readable.get("/b", false, false), false, tenSecondsLater);
    assertTrue(buf.toString(StandardCharsets.UTF_8).contains("\"ttl\":50,"),
        buf.toString(StandardCharsets.UTF_8));
  }

  @Test
  void rootListingHasNoKeyNorIndexesAndEmptyDirsNoNodes() {
    NodeView emptyDir = new NodeView("/d", null, true, NodeView.NEVER, List.of(), 2, 2);
    NodeView root = new NodeView(null, null, true, NodeView.NEVER,
        List.of(key("/a", "", 1, 1), emptyDir), 0, 0);
    assertEquals("{\"action\":\"get\",\"node\":{\"dir\":true,\"nodes\":["
        + "{\"key\":\"/a\",\"value\":\"\",\"modifiedIndex\":1,\"createdIndex\":1},"
        + "{\"key\":\"/d\",\"dir\":true,\"modifiedIndex\":2,\"createdIndex\":2}]}}\n",
        encode(new Event(Action.GET, root, null, 2, false), false));
    NodeView emptyRoot = new NodeView(null, null, true, NodeView.NEVER, null, 0, 0);
    assertEquals("{\"action\":\"get\",\"node\":{\"dir\":true}}\n",
        encode(new Event(Action.GET, emptyRoot, null, 0, false), false));
  }

  @Test
  void prevNodeIsNeverExpandedAndExpiredTtlIsOmitted() {
    NodeView dir = new NodeView("/d", null, true, now - 100, List.of(key("/d/x", "1", 1, 1)), 1, 1);
    NodeView deleted = new NodeView("/d", null, true, NodeView.NEVER, null, 9, 1);
    assertEquals("{\"action\":\"expire\",\"node\":{\"key\":\"/d\",\"dir\":true,"
        + "\"modifiedIndex\":9,\"createdIndex\":1},\"prevNode\":{\"key\":\"/d\",\"dir\":true,"
        + "\"expiration\":\"2026-11-25T03:43:02.1562994Z\",\"modifiedIndex\":1,\"createdIndex\":1}}\n",
        encode(new Event(Action.EXPIRE, deleted, dir, 9, false), false));
  }

  @Test
  void noValueOnSuccessKeepsOnlyTheAction() {
    Event e = new Event(Action.CREATE, key("/a", "v", 1, 1), null, 1, false);
    assertEquals("{\"action\":\"create\"}\n", encode(e, true));
  }

  @Test
  void stringsAreEscapedLikeGo() {
    Event e = new Event(Action.GET,
        key("/<a>&", "\"\\\n\t\u0001\u2028\u2029\ud800x\u00e9\ud83d\ude00", 1, 1), null, 1, false);
    assertEquals("{\"action\":\"get\",\"node\":{\"key\":\"/\\u003ca\\u003e\\u0026\","
        + "\"value\":\"\\\"\\\\\\n\\t\\u0001\\u2028\\u2029\\ufffdx\u00e9\ud83d\ude00\","
        + "\"modifiedIndex\":1,\"createdIndex\":1}}\n", encode(e, false));
  }

  @Test
  void errorBodyOmitsEmptyCause() {
    ByteBuf buf = Unpooled.buffer();
    EventJsonEncoder.writeError(buf, EtcdError.KEY_NOT_FOUND, "/a/b", 12);
    assertEquals("{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/a/b\",\"index\":12}\n",
        buf.toString(StandardCharsets.UTF_8));
    buf.clear();
    EventJsonEncoder.writeError(buf, EtcdError.NOT_FILE, "", 3);
    assertEquals("{\"errorCode\":102,\"message\":\"Not a file\",\"index\":3}\n",
        buf.toString(StandardCharsets.UTF_8));
  }

  @Test
  void sharedEncodingIsComputedOnce() {
    Event e = new Event(Action.SET, key("/a", "v", 1, 1), null, 1, false);
    java.util.function.Function<Event, byte[]> f = encoder::encodeShared;
    byte[] first = e.encoded(f);
    byte[] second = e.encoded(f);
    assertEquals(first, second);
  }
}
