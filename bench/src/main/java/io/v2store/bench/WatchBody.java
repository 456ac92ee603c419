package io.v2store.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads the two numbers a watch run needs from a keys-API body without a JSON parser (thousands
 * of watchers wake per write; the client must not be what is measured): the first
 * {@code "modifiedIndex":} and the first {@code "value":"} belong to {@code node}, which both
 * etcd and ours write before {@code prevNode}; an error body's {@code "index":} is the index to
 * resume from.
 */
final class WatchBody {
  private static final byte[] MODIFIED = bytes("\"modifiedIndex\":");
  private static final byte[] VALUE = bytes("\"value\":\"");
  private static final byte[] INDEX = bytes("\"index\":");

  private WatchBody() {}

  /** The node's modifiedIndex, or -1. */
  static long modifiedIndex(ByteBuf body) {
    return numberAfter(body, MODIFIED);
  }

  /** The node's value read as a number (the writer writes its sequence number), or -1. */
  static long valueNumber(ByteBuf body) {
    return numberAfter(body, VALUE);
  }

  /** An error body's index, or -1. */
  static long errorIndex(ByteBuf body) {
    return numberAfter(body, INDEX);
  }

  private static long numberAfter(ByteBuf body, byte[] marker) {
    int at = indexOf(body, marker);
    if (at < 0) return -1;
    long n = 0;
    int digits = 0;
    for (int i = at + marker.length; i < body.writerIndex(); i++) {
      byte b = body.getByte(i);
      if (b < '0' || b > '9') break;
      n = n * 10 + (b - '0');
      digits++;
    }
    return digits == 0 ? -1 : n;
  }

  private static int indexOf(ByteBuf body, byte[] marker) {
    int end = body.writerIndex() - marker.length;
    outer:
    for (int i = body.readerIndex(); i <= end; i++) {
      for (int j = 0; j < marker.length; j++) {
        if (body.getByte(i + j) != marker[j]) continue outer;
      }
      return i;
    }
    return -1;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
