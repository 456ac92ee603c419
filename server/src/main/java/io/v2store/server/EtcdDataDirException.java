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

  /**
   * etcd's files, not merely its directories' names: a --wal-dir of member/wal (etcd's place for
   * it) is ours to create, and holds RocksDB's files, no {@code *.wal}.
   *
   * @throws EtcdDataDirException when dataDir is etcd's and not (yet) ours
   */
  static void refuseEtcds(Path dataDir) throws java.io.IOException {
    Path member = dataDir.resolve("member");
    if (java.nio.file.Files.exists(member.resolve(MemberIdentity.FILE))) return;
    boolean etcds = java.nio.file.Files.exists(member.resolve("snap").resolve("db"));
    if (!etcds && java.nio.file.Files.isDirectory(member.resolve("wal"))) {
      try (var files = java.nio.file.Files.list(member.resolve("wal"))) {
        etcds = files.anyMatch(f -> f.getFileName().toString().endsWith(".wal"));
      }
    }
    if (etcds) throw new EtcdDataDirException(dataDir);
  }
}
