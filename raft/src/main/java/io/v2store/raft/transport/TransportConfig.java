package io.v2store.raft.transport;

/**
 * The limits of the peer transport.
 *
 * @param maxQueuedMessages messages per peer written but not yet on the socket; beyond it, drop
 * @param maxQueuedBytes bytes per peer buffered in the connection before sends are dropped
 * @param snapshotChunkBytes a MSG_SNAP with more data than this is sent in chunks of this size
 * @param maxFrameBytes the largest frame accepted from a peer (a larger one closes the connection)
 * @param maxSnapshotBytes the largest snapshot received in chunks (into memory, at most what one
 *     ByteString holds; into a file, also no more than the disk has room for)
 * @param reconnectMinMillis the first reconnect delay, doubled after each failure
 * @param reconnectMaxMillis the bound on the reconnect delay
 * @param connectTimeoutMillis how long one connection attempt may take
 * @param snapshotChunkTimeoutMillis how long a chunk of a snapshot may wait with nothing going on
 *     the socket before the connection is closed and the snapshot reported lost (the peer takes
 *     nothing)
 */
public record TransportConfig(
    int maxQueuedMessages,
    int maxQueuedBytes,
    int snapshotChunkBytes,
    int maxFrameBytes,
    long maxSnapshotBytes,
    long reconnectMinMillis,
    long reconnectMaxMillis,
    int connectTimeoutMillis,
    long snapshotChunkTimeoutMillis) {

  /**
   * A chunk of a snapshot may wait 30 s with nothing going on the socket: the peer is paused or
   * gone. etcd gives each write of a snapshot 5 s.
   */
  static final long SNAPSHOT_CHUNK_TIMEOUT_MILLIS = 30_000;

  public TransportConfig {
    positive("maxQueuedMessages", maxQueuedMessages);
    positive("maxQueuedBytes", maxQueuedBytes);
    positive("snapshotChunkBytes", snapshotChunkBytes);
    positive("connectTimeoutMillis", connectTimeoutMillis);
    positive("reconnectMinMillis", reconnectMinMillis);
    positive("snapshotChunkTimeoutMillis", snapshotChunkTimeoutMillis);
    if (maxFrameBytes < snapshotChunkBytes + 64 * 1024) {
      throw new IllegalArgumentException("maxFrameBytes must leave room for a chunk and its header");
    }
    if (maxSnapshotBytes < snapshotChunkBytes) {
      throw new IllegalArgumentException("maxSnapshotBytes must be at least one chunk");
    }
    if (reconnectMaxMillis < reconnectMinMillis) {
      throw new IllegalArgumentException("reconnectMaxMillis must be >= reconnectMinMillis");
    }
  }

  /** As above, a chunk of a snapshot waiting at most {@link #SNAPSHOT_CHUNK_TIMEOUT_MILLIS}. */
  public TransportConfig(int maxQueuedMessages, int maxQueuedBytes, int snapshotChunkBytes,
      int maxFrameBytes, long maxSnapshotBytes, long reconnectMinMillis, long reconnectMaxMillis,
      int connectTimeoutMillis) {
    this(maxQueuedMessages, maxQueuedBytes, snapshotChunkBytes, maxFrameBytes, maxSnapshotBytes,
        reconnectMinMillis, reconnectMaxMillis, connectTimeoutMillis,
        SNAPSHOT_CHUNK_TIMEOUT_MILLIS);
  }

  /**
   * 4096 queued messages per peer (as etcd's stream buffer), 64 KiB chunks (a heartbeat may have
   * to wait for one to cross the link: 1 MiB took seconds on a slow one), back-off to 2 s, and
   * frames up to 512 MiB, etcd's bound on a peer message. An AppendEntries carries at least one
   * entry, a client's whole write, and --max-request-bytes may allow writes of any size: a frame
   * bound below that size wedged replication at the first such entry (the follower dropped the
   * connection at every retry). The bound costs nothing until a frame that long arrives.
   * Snapshots are not bounded here: one is as large as the key space in the leader's heap, a
   * member receives it into a file (where the disk's room bounds it), and a follower refusing
   * the only snapshot that can catch it up would stay behind for good.
   */
  public static TransportConfig defaults() {
    return new TransportConfig(4096, 16 << 20, 64 << 10, 512 << 20, Long.MAX_VALUE, 50, 2_000,
        3_000);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
