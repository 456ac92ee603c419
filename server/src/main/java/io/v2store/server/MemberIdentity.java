package io.v2store.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Who this data dir belongs to: the member id and cluster id chosen when it was created. Like
 * etcd, a restarted member takes them from here and ignores the bootstrap flags, so changing
 * --initial-cluster or the ports later cannot turn it into a different member.
 */
record MemberIdentity(long memberId, long clusterId) {
  static final String FILE = "identity";

  static MemberIdentity readOrCreate(Path memberDir, MemberIdentity fromFlags)
      throws IOException {
    Optional<MemberIdentity> recorded = read(memberDir);
    if (recorded.isPresent()) return recorded.get();
    write(memberDir, fromFlags);
    return fromFlags;
  }

  /** The identity recorded in memberDir, if any. */
  static Optional<MemberIdentity> read(Path memberDir) throws IOException {
    Path file = memberDir.resolve(FILE);
    if (!Files.exists(file)) return Optional.empty();
    String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
    if (parts.length != 2) throw new IOException("corrupt " + file);
    return Optional.of(new MemberIdentity(Long.parseUnsignedLong(parts[0], 16),
        Long.parseUnsignedLong(parts[1], 16)));
  }

  /** Records identity in memberDir, durably: written whole or not at all. */
  static void write(Path memberDir, MemberIdentity identity) throws IOException {
    Path file = memberDir.resolve(FILE);
    Path tmp = memberDir.resolve(FILE + ".tmp");
    byte[] text = (Long.toHexString(identity.memberId) + " "
        + Long.toHexString(identity.clusterId) + "\n").getBytes(StandardCharsets.US_ASCII);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(text));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel dir = FileChannel.open(memberDir, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
