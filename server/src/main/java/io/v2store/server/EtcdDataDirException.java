package io.v2store.server;

import java.nio.file.Path;

/**
 * The data dir holds an etcd member's own data (its {@code member/wal} and {@code member/snap}),
 * which this server cannot read: starting a new member there would serve an empty key space
 * where the old keys were, as if they had been lost.
 */
final class EtcdDataDirException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  EtcdDataDirException(Path dataDir) {
    super("the data dir " + dataDir + " holds an etcd member's data (member/wal, member/snap), which this "
        + "server cannot read; start on a new --data-dir with --import-from and the old cluster's client URL "
        + "(README, \"Moving from etcd\") to keep its keys");
  }

  private EtcdDataDirException(String message) {
    super(message);
  }

  /** etcd's WAL files in a --wal-dir: etcd's --wal-dir, not one this server made. */
  private static EtcdDataDirException walDir(Path walDir) {
    return new EtcdDataDirException("the wal dir " + walDir + " holds an etcd member's WAL (*.wal), which this "
        + "server cannot read; give it a new --wal-dir (or none), and --import-from with the old cluster's "
        + "client URL (README, \"Moving from etcd\") to keep its keys");
  }

  /**
   * etcd's files, not merely its directories' names: a --wal-dir of member/wal (etcd's place for
   * it) is ours to create, and holds RocksDB's files, no {@code *.wal}.
   *
   * @throws EtcdDataDirException when dataDir (or walDir) is etcd's and not (yet) ours
   */
  static void refuseEtcds(Path dataDir, java.util.Optional<Path> walDir) throws java.io.IOException {
    Path member = dataDir.resolve("member");
    if (java.nio.file.Files.exists(member.resolve(MemberIdentity.FILE))) return;
    boolean etcds = java.nio.file.Files.exists(member.resolve("snap").resolve("db"))
        || holdsEtcdWal(member.resolve("wal"));
    if (etcds) throw new EtcdDataDirException(dataDir);
    if (walDir.isPresent() && holdsEtcdWal(walDir.get())) throw walDir(walDir.get());
  }

  private static boolean holdsEtcdWal(Path dir) throws java.io.IOException {
    if (!java.nio.file.Files.isDirectory(dir)) return false;
    try (var files = java.nio.file.Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".wal"));
    }
  }
}
