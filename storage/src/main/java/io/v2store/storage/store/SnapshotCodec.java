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
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The key space as a stream: header, index, the tree in pre-order (iteratively, so neither deep
 * paths nor a million keys build anything but the tree itself), then the event history.
 *
 * <pre>
 * int magic, int version, varint index
 * node*   : byte flags (1 dir, 2 has deadline), string name, varint created,
 *           varint (modified - created), [long deadline, varint seq],
 *           key: string value | dir: varint childCount
 * varint n, event*: byte action, bool refresh, varint index, long ttlClock (version 2 on),
 *           view node, bool hasPrev, [view prev]
 * varint clearedThrough (version 3 on): events up to it are known lost (an import)
 * varint n, varint counter* (version 4 on): the /v2/stats/store counters, in StoreStats' order;
 *           in version 3 too where the snapshot is the end of its stream (see writeAtEnd)
 * view    : byte flags (1 key, 2 value, 4 dir), [string key], [string value], long expiration,
 *           varint modified, varint created
 * string  : varint length, UTF-8
 * </pre>
 */
final class SnapshotCodec {
  private static final int MAGIC = 0x56325353; // "V2SS"
  /*
   * 2: events keep the clock their ttl is shown against. 3: the history's cleared-through
   * index. 4: the store's counters, which etcd's snapshot holds too. Versions 1 to 3 are still
   * read (clock 0, nothing cleared, no counters).
   */
  private static final int VERSION = 4;
  private static final int DIR = 1;
  private static final int HAS_DEADLINE = 2;

  private SnapshotCodec() {}

  static void write(Tree tree, List<Event> history, long clearedThrough, DataOutputStream out)
      throws IOException {
    write(tree, history, clearedThrough, new long[0], out);
  }

  static void write(Tree tree, List<Event> history, long clearedThrough, long[] counters,
      DataOutputStream out) throws IOException {
    write(VERSION, tree, history, clearedThrough, counters, out);
  }

  /**
   * As {@link #write(Tree, List, long, long[], DataOutputStream)}, for a stream the snapshot is
   * the end of (a Raft snapshot's data), in the layout every build since version 3 reads: version
   * 3, the counters after it. Builds from before version 4 stop reading before the counters (they
   * refuse version 4 outright); {@link #read} with atEnd takes them from the stream's tail.
   */
  static void writeAtEnd(Tree tree, List<Event> history, long clearedThrough, long[] counters,
      DataOutputStream out) throws IOException {
    write(3, tree, history, clearedThrough, counters, out);
  }

  private static void write(int version, Tree tree, List<Event> history, long clearedThrough,
      long[] counters, DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(version);
    writeVarLong(out, tree.index);
    // Pre-order from an explicit stack (paths can be very deep): a directory's record, then
    // each child's subtree.
    Node[] todo = new Node[64];
    int top = 0;
    todo[top++] = tree.root;
    int untilTouch = 0;
    long touched = 0;
    while (top > 0) {
      if (untilTouch == 0) {
        touched += touchNext(todo, top);
        untilTouch = BATCH;
      }
      untilTouch--;
      Node n = todo[--top];
      todo[top] = null;
      writeNode(n, out);
      if (n instanceof DirNode d) {
        for (Node c : d.children.slots()) {
          if (c != null) {
            if (top == todo.length) todo = Arrays.copyOf(todo, top * 2);
            todo[top++] = c;
          }
        }
        untilTouch = 0; // what is on top now has not been touched
      }
    }
    sink = touched;
    writeVarLong(out, history.size());
    for (Event e : history) {
      out.writeByte(e.action().ordinal());
      out.writeBoolean(e.isRefresh());
      writeVarLong(out, e.index());
      out.writeLong(e.ttlClockNanos());
      writeView(e.node(), out);
      out.writeBoolean(e.prevNode() != null);
      if (e.prevNode() != null) {
        writeView(e.prevNode(), out);
      }
    }
    writeVarLong(out, clearedThrough);
    writeVarLong(out, counters.length);
    for (long c : counters) writeVarLong(out, c);
    out.flush();
  }

  /** How many nodes {@link #touchNext} loads from at a time. */
  private static final int BATCH = 16;

  /** Keeps touchNext's loads from being optimised away. */
  @SuppressWarnings("unused")
  private static volatile long sink;

  /**
   * Loads, in one tight loop, what writing the next BATCH nodes on the stack will read: each
   * node's header, its name's and its value's. A directory's slots are in hash order, so nodes,
   * names and values lie anywhere in the heap, and writing them one after the other waited on
   * ~5 cache misses per key in turn; loads from sixteen nodes with little work between them are
   * in flight together.
   */
  private static long touchNext(Node[] todo, int top) {
    long sum = 0;
    for (int i = top - 1, end = Math.max(0, top - BATCH); i >= end; i--) {
      Node n = todo[i];
      sum += n.name.length();
      if (n instanceof KeyNode k && k.value != null) sum += k.value.length();
    }
    return sum;
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
    return read(in, history, counters -> { });
  }

  /**
   * As {@link #read(DataInputStream, EventHistory)}; counters is given the snapshot's counters
   * once all of it is read, if it has them (version 4 on).
   */
  static Tree read(DataInputStream in, EventHistory history, Consumer<long[]> counters)
      throws IOException {
    return read(in, history, counters, false);
  }

  /**
   * As {@link #read(DataInputStream, EventHistory, Consumer)}; atEnd: nothing follows the
   * snapshot in the stream, so a version 3 snapshot may end with its counters ({@link
   * #writeAtEnd}), which are then read to the stream's end.
   */
  static Tree read(DataInputStream in, EventHistory history, Consumer<long[]> counters,
      boolean atEnd) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("not a key space snapshot (bad magic)");
    }
    int version = in.readInt();
    if (version < 1 || version > VERSION) {
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
    open.push(frame(root, readVarInt(in)));
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
        open.push(frame(d, readVarInt(in)));
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
      long ttlClock = version >= 2 ? in.readLong() : 0;
      NodeView node = readView(in);
      NodeView prev = in.readBoolean() ? readView(in) : null;
      Event event = new Event(Action.values()[action], node, prev, eventIndex, refresh);
      event.fixTtlClock(ttlClock);
      history.add(event);
    }
    if (version >= 3) history.clearedThrough(readVarLong(in));
    if (version >= 4) {
      counters.accept(readCounters(readVarInt(in), in));
    } else if (version == 3 && atEnd) {
      int next = in.read(); // -1: written by a build that did not keep them
      if (next >= 0) {
        long n = (next & 0x7F) | ((next & 0x80) == 0 ? 0 : readVarLong(in) << 7);
        counters.accept(readCounters(n, in));
      }
    }
    return tree;
  }

  private static long[] readCounters(long n, DataInputStream in) throws IOException {
    if (n < 0 || n > 1024) throw new IOException("corrupt snapshot: " + n + " counters");
    long[] values = new long[(int) n];
    for (int i = 0; i < values.length; i++) values[i] = readVarLong(in);
    return values;
  }

  /** A directory about to receive its children, its table sized for them (see expect). */
  private static Frame frame(DirNode dir, int children) {
    dir.children.expect(children);
    return new Frame(dir, children);
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
    Node n;
    if ((flags & DIR) != 0) {
      n = new DirNode(name, created);
    } else {
      n = new KeyNode(name, created, readString(in));
      tree.keys++;
    }
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
