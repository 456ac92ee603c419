package io.v2store.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.v2store.storage.store.EtcdError;
import io.v2store.storage.store.Event;
import io.v2store.storage.store.NodeView;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Writes keys-API JSON (spec 3.1-3.4, 7.1) by hand straight into a ByteBuf: this is the hot path of
 * every read, write and watch. Field order follows etcd's: event action,node,prevNode; node key,
 * value, dir, expiration, ttl, nodes, modifiedIndex, createdIndex; error errorCode, message, cause,
 * index. Bodies end with a newline, as Go's json.Encoder writes them.
 */
final class EventJsonEncoder {
  private final Clock clock;

  EventJsonEncoder(Clock clock) {
    this.clock = clock;
  }

  long nowNanos() {
    return epochNanos(clock.instant());
  }

  static long epochNanos(Instant instant) {
    long seconds = instant.getEpochSecond();
    if (seconds >= Long.MAX_VALUE / 1_000_000_000L) {
      return Long.MAX_VALUE - 1;
    }
    return seconds * 1_000_000_000L + instant.getNano();
  }

  /** The shared bytes of one watch notification: encoded once, sent to every watcher it wakes. */
  byte[] encodeShared(Event event) {
    ByteBuf buf = Unpooled.buffer(256);
    writeEvent(buf, event, false, nowNanos());
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }

  /** {"action":...,"node":...,"prevNode":...}\n; noValue keeps only the action (noValueOnSuccess). */
  void writeEvent(ByteBuf out, Event event, boolean noValue, long readerNowNanos) {
    // An event made by a write shows its ttl as of when it was applied, as etcd's does.
    long nowNanos = event.ttlClockNanos() != 0 ? event.ttlClockNanos() : readerNowNanos;
    out.writeByte('{');
    JsonText.writeName(out, "action");
    JsonText.writeString(out, event.action().json());
    if (!noValue) {
      if (event.node() != null) {
        out.writeByte(',');
        JsonText.writeName(out, "node");
        writeNode(out, event.node(), nowNanos, true);
      }
      if (event.prevNode() != null) {
        out.writeByte(',');
        JsonText.writeName(out, "prevNode");
        writeNode(out, event.prevNode(), nowNanos, false);
      }
    }
    out.writeByte('}').writeByte('\n');
  }

  /**
   * One node, and with expand its listed children at every level. Depth-first without recursion:
   * a listing may be as deep as a key's path is long (etcd serves about 2,000 levels), more
   * frames than an event loop's stack holds before the JIT has compiled this.
   */
  void writeNode(ByteBuf out, NodeView top, long nowNanos, boolean expand) {
    List<NodeView> topChildren = top.nodes();
    if (!expand || topChildren == null || topChildren.isEmpty()) {
      // every write's answer and every watch event: no listing, nothing to allocate
      writeTail(out, top, writeHead(out, top, nowNanos));
      return;
    }
    ArrayDeque<Open> open = new ArrayDeque<>();
    NodeView next = top;
    while (true) {
      if (next != null) {
        boolean first = writeHead(out, next, nowNanos);
        List<NodeView> children = next.nodes();
        if (expand && children != null && !children.isEmpty()) {
          comma(out, first);
          JsonText.writeName(out, "nodes");
          out.writeByte('[');
          open.push(new Open(next, children));
        } else {
          writeTail(out, next, first);
        }
        next = null;
      }
      Open o = open.peek();
      if (o == null) {
        return;
      }
      if (o.written < o.children.size()) {
        if (o.written > 0) {
          out.writeByte(',');
        }
        next = o.children.get(o.written++);
      } else {
        out.writeByte(']');
        open.pop();
        writeTail(out, o.node, false);
      }
    }
  }

  /** A node whose "nodes" list is open: how many of its children are written. */
  private static final class Open {
    final NodeView node;
    final List<NodeView> children;
    int written;

    Open(NodeView node, List<NodeView> children) {
      this.node = node;
      this.children = children;
    }
  }

  /** '{' and the fields before "nodes"; returns whether none was written. */
  private static boolean writeHead(ByteBuf out, NodeView node, long nowNanos) {
    out.writeByte('{');
    boolean first = true;
    if (node.key() != null) {
      JsonText.writeName(out, "key");
      JsonText.writeString(out, node.key());
      first = false;
    }
    if (!node.dir() && node.value() != null) {
      first = comma(out, first);
      JsonText.writeName(out, "value");
      JsonText.writeString(out, node.value());
    }
    if (node.dir()) {
      first = comma(out, first);
      JsonText.writeName(out, "dir");
      out.writeCharSequence("true", java.nio.charset.StandardCharsets.US_ASCII);
    }
    if (node.hasExpiration()) {
      first = comma(out, first);
      JsonText.writeName(out, "expiration");
      JsonText.writeString(out, Rfc3339.formatNanos(node.expirationNanos()));
      long ttl = ttlSeconds(node.expirationNanos(), nowNanos);
      if (ttl != 0) {
        out.writeByte(',');
        JsonText.writeName(out, "ttl");
        JsonText.writeLong(out, ttl);
      }
    }
    return first;
  }

  /** The fields after "nodes", and '}'. */
  private static void writeTail(ByteBuf out, NodeView node, boolean first) {
    if (node.key() != null) {
      comma(out, first);
      JsonText.writeName(out, "modifiedIndex");
      JsonText.writeLong(out, node.modifiedIndex());
      out.writeByte(',');
      JsonText.writeName(out, "createdIndex");
      JsonText.writeLong(out, node.createdIndex());
    }
    out.writeByte('}');
  }

  private static boolean comma(ByteBuf out, boolean first) {
    if (!first) {
      out.writeByte(',');
    }
    return false;
  }

  /**
   * etcd's ttl: ceil((expiration - now) / 1s) for time still to run; Go's truncating division
   * for time already passed (so -0.5 s reads 0 and is omitted, -1.5 s reads -1).
   */
  static long ttlSeconds(long expirationNanos, long nowNanos) {
    long remaining;
    try {
      remaining = Math.subtractExact(expirationNanos, nowNanos);
    } catch (ArithmeticException overflow) {
      remaining = expirationNanos > nowNanos ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    long ttl = remaining / 1_000_000_000L;
    if (remaining % 1_000_000_000L > 0) {
      ttl++;
    }
    return ttl;
  }

  /** {"errorCode":N,"message":"...","cause":"...","index":N}\n, cause omitted when null/empty. */
  static void writeError(ByteBuf out, EtcdError error, String cause, long index) {
    out.writeByte('{');
    JsonText.writeName(out, "errorCode");
    JsonText.writeLong(out, error.code());
    out.writeByte(',');
    JsonText.writeName(out, "message");
    JsonText.writeString(out, error.message());
    if (cause != null && !cause.isEmpty()) {
      out.writeByte(',');
      JsonText.writeName(out, "cause");
      JsonText.writeString(out, cause);
    }
    out.writeByte(',');
    JsonText.writeName(out, "index");
    JsonText.writeLong(out, index);
    out.writeByte('}').writeByte('\n');
  }
}
