package io.v2store.storage.store;

import static io.v2store.storage.store.VarInts.readString;
import static io.v2store.storage.store.VarInts.readVarInt;
import static io.v2store.storage.store.VarInts.readVarLong;
import static io.v2store.storage.store.VarInts.writeString;
import static io.v2store.storage.store.VarInts.writeVarLong;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The key space as a stream: header, index, the tree in pre-order (iteratively, so neither deep
 * paths nor a million keys build anything but the tree itself), then the event history.
 *
 * <pre>
 * int magic, int version, varint index
 * node*   : byte flags (1 dir, 2 has deadline), string name, varint created,
 *           varint (modified - created), [long deadline, varint seq],
 *           key: string value | dir: varint childCount
 * varint n, event*: byte action, bool refresh, varint index, view node, bool hasPrev, [view prev]
 * view    : byte flags (1 key, 2 value, 4 dir), [string key], [string value], long expiration,
 *           varint modified, varint created
 * string  : varint length, UTF-8
 * </pre>
 */
final class SnapshotCodec {
  private static final int MAGIC = 0x56325353; // "V2SS"
  private static final int VERSION = 1;
  private static final int DIR = 1;
  private static final int HAS_DEADLINE = 2;

  private SnapshotCodec() {}

  static void write(Tree tree, List<Event> history, DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    writeVarLong(out, tree.index);
    // Pre-order: each directory's record (with its child count), then each child's subtree.
    // An explicit stack of directories being written, not recursion: paths can be very deep.
    writeNode(tree.root, out);
    ArrayDeque<Children> open = new ArrayDeque<>();
    open.push(new Children(tree.root.children.slots()));
    long touched = 0;
    while (!open.isEmpty()) {
      Children dir = open.peek();
      Node c = dir.next();
      if (c == null) {
        touched += dir.touched();
        open.pop();
        continue;
      }
      writeNode(c, out);
      if (c instanceof DirNode d) {
        open.push(new Children(d.children.slots()));
      }
    }
    sink = touched;
    writeVarLong(out, history.size());
    for (Event e : history) {
      out.writeByte(e.action().ordinal());
      out.writeBoolean(e.isRefresh());
      writeVarLong(out, e.index());
      writeView(e.node(), out);
      out.writeBoolean(e.prevNode() != null);
      if (e.prevNode() != null) {
        writeView(e.prevNode(), out);
      }
    }
    out.flush();
  }

  /** Keeps the batched loads (see {@link Children#refill}) from being optimised away. */
  @SuppressWarnings("unused")
  private static volatile long sink;

  /** A directory's slots being walked, nulls skipped, a batch of nodes at a time. */
  private static final class Children {
    private static final int BATCH = 16;
    private final Node[] slots;
    private int next;
    private final Node[] batch = new Node[BATCH];
    private int batchSize;
    private int batchAt;
    private long touched;

    Children(Node[] slots) {
      this.slots = slots;
    }

    Node next() {
      if (batchAt == batchSize) refill();
      return batchAt < batchSize ? batch[batchAt++] : null;
    }

    long touched() {
      return touched;
    }

    /**
     * Takes the next nodes and loads from each, in a tight loop, what writing it will read: its
     * header, its name's and its value's. The slots are in hash order, so nodes, names and values
     * lie anywhere in the heap, and writing them one after the other waited on ~5 cache misses
     * per key in turn (a snapshot of 700,000 keys: ~340 ms, most of it those waits). Loads from
     * sixteen nodes with little work between them are in flight together.
     */
    private void refill() {
      batchSize = 0;
      batchAt = 0;
      while (batchSize < BATCH && next < slots.length) {
        Node n = slots[next++];
        if (n != null) batch[batchSize++] = n;
      }
      long sum = 0;
      for (int i = 0; i < batchSize; i++) {
        Node n = batch[i];
        sum += n.name.length();
        if (n instanceof KeyNode k && k.value != null) sum += k.value.length();
      }
      touched += sum;
    }
  }

  private static void writeNode(Node n, DataOutputStream out) throws IOException {
    out.writeByte((n.isDir() ? DIR : 0) | (n.expiry != null ? HAS_DEADLINE : 0));
    writeString(out, n.name);
    writeVarLong(out, n.createdIndex);
    writeVarLong(out, n.modifiedIndex - n.createdIndex);
    if (n.expiry != null) {
      out.writeLong(n.expiry.deadlineNanos());
      writeVarLong(out, n.expiry.seq());
    }
    if (n instanceof DirNode d) {
      writeVarLong(out, d.children.size());
    } else {
      writeString(out, ((KeyNode) n).value);
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
    long index = readVarLong(in);
    Node first = readNode(in, tree);
    if (!(first instanceof DirNode root) || !root.isRoot()) {
      throw new IOException("corrupt snapshot: the first node is not the root");
    }
    tree.root = root;
    // Directories still expecting children: pre-order makes this a stack.
    ArrayDeque<Frame> open = new ArrayDeque<>();
    open.push(new Frame(root, readVarInt(in)));
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
        open.push(new Frame(d, readVarInt(in)));
      }
    }
    tree.index = index;
    long events = readVarLong(in);
    for (long i = 0; i < events; i++) {
      int action = in.readUnsignedByte();
      if (action >= Action.values().length) {
        throw new IOException("corrupt snapshot: action " + action);
      }
      boolean refresh = in.readBoolean();
      long eventIndex = readVarLong(in);
      NodeView node = readView(in);
      NodeView prev = in.readBoolean() ? readView(in) : null;
      history.add(new Event(Action.values()[action], node, prev, eventIndex, refresh));
    }
    return tree;
  }

  /** Reads one node record; for a directory the caller reads its child count next. */
  private static Node readNode(DataInputStream in, Tree tree) throws IOException {
    int flags = in.readUnsignedByte();
    if ((flags & ~(DIR | HAS_DEADLINE)) != 0) {
      throw new IOException("corrupt snapshot: node flags " + flags);
    }
    String name = readString(in);
    long created = readVarLong(in);
    long modified = created + readVarLong(in);
    long deadline = 0;
    long seq = 0;
    if ((flags & HAS_DEADLINE) != 0) {
      deadline = in.readLong();
      seq = readVarLong(in);
    }
    Node n = (flags & DIR) != 0
        ? new DirNode(name, created)
        : new KeyNode(name, created, readString(in));
    n.modifiedIndex = modified;
    if ((flags & HAS_DEADLINE) != 0) {
      tree.expiries.restore(n, new Expiry(deadline, seq, n));
    }
    return n;
  }

  private static void writeView(NodeView v, DataOutputStream out) throws IOException {
    out.writeByte((v.key() != null ? 1 : 0) | (v.value() != null ? 2 : 0) | (v.dir() ? 4 : 0));
    if (v.key() != null) {
      writeString(out, v.key());
    }
    if (v.value() != null) {
      writeString(out, v.value());
    }
    out.writeLong(v.expirationNanos());
    writeVarLong(out, v.modifiedIndex());
    writeVarLong(out, v.createdIndex());
  }

  private static NodeView readView(DataInputStream in) throws IOException {
    int flags = in.readUnsignedByte();
    String key = (flags & 1) != 0 ? readString(in) : null;
    String value = (flags & 2) != 0 ? readString(in) : null;
    long expiration = in.readLong();
    long modified = readVarLong(in);
    long created = readVarLong(in);
    return new NodeView(key, value, (flags & 4) != 0, expiration, null, modified, created);
  }

  private static final class Frame {
    final DirNode dir;
    int remaining;

    Frame(DirNode dir, int remaining) {
      this.dir = dir;
      this.remaining = remaining;
    }
  }
}
