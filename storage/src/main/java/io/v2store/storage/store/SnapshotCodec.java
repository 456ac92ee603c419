package io.v2store.storage.store;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The key space as a stream: header, index, the tree in pre-order (iteratively, so neither deep
 * paths nor a million keys build anything but the tree itself), then the event history.
 *
 * <pre>
 * int magic, int version, long index
 * node*   : byte kind (0 key, 1 dir), bytes name, long created, long modified,
 *           long deadline, [long seq if deadline != NEVER], key: bytes value | dir: int childCount
 * int n, event*: byte action, bool refresh, long index, view node, bool hasPrev, [view prev]
 * view    : byte flags (1 key, 2 value, 4 dir), [bytes key], [bytes value], long expiration,
 *           long modified, long created
 * bytes   : int length, UTF-8
 * </pre>
 */
final class SnapshotCodec {
  private static final int MAGIC = 0x56325353; // "V2SS"
  private static final int VERSION = 1;
  private static final byte KEY = 0;
  private static final byte DIR = 1;

  private SnapshotCodec() {}

  static void write(Tree tree, List<Event> history, DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeLong(tree.index);
    ArrayDeque<Node> todo = new ArrayDeque<>();
    todo.push(tree.root);
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      writeNode(n, out);
      if (n instanceof DirNode d) {
        for (Node c : d.children.slots()) {
          if (c != null) {
            todo.push(c);
          }
        }
      }
    }
    out.writeInt(history.size());
    for (Event e : history) {
      out.writeByte(e.action().ordinal());
      out.writeBoolean(e.isRefresh());
      out.writeLong(e.index());
      writeView(e.node(), out);
      out.writeBoolean(e.prevNode() != null);
      if (e.prevNode() != null) {
        writeView(e.prevNode(), out);
      }
    }
    out.flush();
  }

  private static void writeNode(Node n, DataOutputStream out) throws IOException {
    out.writeByte(n.isDir() ? DIR : KEY);
    writeString(n.name, out);
    out.writeLong(n.createdIndex);
    out.writeLong(n.modifiedIndex);
    out.writeLong(n.expirationNanos());
    if (n.expiry != null) {
      out.writeLong(n.expiry.seq());
    }
    if (n instanceof DirNode d) {
      out.writeInt(d.children.size());
    } else {
      writeString(((KeyNode) n).value, out);
    }
  }

  /** Reads a snapshot into a fresh tree; history receives the events, oldest first. */
  static Tree read(DataInputStream in, EventHistory history) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("not a key space snapshot (bad magic)");
    }
    int version = in.readInt();
    if (version != VERSION) {
      throw new IOException("unsupported key space snapshot version " + version);
    }
    Tree tree = new Tree();
    long index = in.readLong();
    Node first = readNode(in, tree);
    if (!(first instanceof DirNode root) || !root.isRoot()) {
      throw new IOException("corrupt snapshot: the first node is not the root");
    }
    tree.root = root;
    // Directories still expecting children: pre-order makes this a stack.
    ArrayDeque<Frame> open = new ArrayDeque<>();
    open.push(new Frame(root, in.readInt()));
    while (!open.isEmpty()) {
      Frame f = open.peek();
      if (f.remaining == 0) {
        open.pop();
        continue;
      }
      f.remaining--;
      Node n = readNode(in, tree);
      f.dir.add(n);
      if (n instanceof DirNode d) {
        open.push(new Frame(d, in.readInt()));
      }
    }
    tree.index = index;
    int events = in.readInt();
    for (int i = 0; i < events; i++) {
      Action action = Action.values()[in.readUnsignedByte()];
      boolean refresh = in.readBoolean();
      long eventIndex = in.readLong();
      NodeView node = readView(in);
      NodeView prev = in.readBoolean() ? readView(in) : null;
      history.add(new Event(action, node, prev, eventIndex, refresh));
    }
    return tree;
  }

  /** Reads one node record; for a directory the caller reads its child count next. */
  private static Node readNode(DataInputStream in, Tree tree) throws IOException {
    byte kind = in.readByte();
    String name = readString(in);
    long created = in.readLong();
    long modified = in.readLong();
    long deadline = in.readLong();
    long seq = deadline == NodeView.NEVER ? 0 : in.readLong();
    Node n;
    if (kind == DIR) {
      n = new DirNode(name, created);
    } else if (kind == KEY) {
      n = new KeyNode(name, created, readString(in));
    } else {
      throw new IOException("corrupt snapshot: node kind " + kind);
    }
    n.modifiedIndex = modified;
    if (deadline != NodeView.NEVER) {
      tree.expiries.restore(n, new Expiry(deadline, seq, n));
    }
    return n;
  }

  private static void writeView(NodeView v, DataOutputStream out) throws IOException {
    int flags = (v.key() != null ? 1 : 0) | (v.value() != null ? 2 : 0) | (v.dir() ? 4 : 0);
    out.writeByte(flags);
    if (v.key() != null) {
      writeString(v.key(), out);
    }
    if (v.value() != null) {
      writeString(v.value(), out);
    }
    out.writeLong(v.expirationNanos());
    out.writeLong(v.modifiedIndex());
    out.writeLong(v.createdIndex());
  }

  private static NodeView readView(DataInputStream in) throws IOException {
    int flags = in.readUnsignedByte();
    String key = (flags & 1) != 0 ? readString(in) : null;
    String value = (flags & 2) != 0 ? readString(in) : null;
    return new NodeView(key, value, (flags & 4) != 0, in.readLong(), null, in.readLong(),
        in.readLong());
  }

  private static void writeString(String s, DataOutputStream out) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      throw new IOException("corrupt snapshot: negative string length");
    }
    byte[] b = in.readNBytes(length);
    if (b.length != length) {
      throw new IOException("truncated snapshot");
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  private static final class Frame {
    final DirNode dir;
    int remaining;

    Frame(DirNode dir, int remaining) {
      if (remaining < 0) {
        throw new IllegalStateException("corrupt snapshot: negative child count");
      }
      this.dir = dir;
      this.remaining = remaining;
    }
  }
}
