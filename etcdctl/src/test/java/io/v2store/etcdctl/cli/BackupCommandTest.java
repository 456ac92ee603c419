package io.v2store.etcdctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `etcdctl backup`: of a stopped data dir, of a running member through its backup socket. */
class BackupCommandTest {
    @Test
    void backupCopiesAStoppedDataDirAndRefusesALockedOne(@TempDir Path tmp) throws Exception {
        final Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("db"));
        Files.writeString(data.resolve("db/000001.sst"), "sst-bytes");
        Files.writeString(data.resolve("db/LOCK"), "");
        Files.writeString(data.resolve("member.meta"), "meta");
        final CliRun.Outcome ok = CliRun.run(Map.of(), "backup", "--data-dir", data.toString(), "--backup-dir",
                tmp.resolve("b1").toString());
        assertEquals(0, ok.code(), ok.err());
        assertEquals("sst-bytes", Files.readString(tmp.resolve("b1/db/000001.sst")));
        assertEquals("meta", Files.readString(tmp.resolve("b1/member.meta")));
        assertTrue(ok.err().startsWith("backup: copied 3 files"), ok.err());

        try (FileChannel ch = FileChannel.open(data.resolve("db/LOCK"), StandardOpenOption.WRITE);
             FileLock held = ch.lock()) {
            final CliRun.Outcome locked = CliRun.run(Map.of(), "backup", "--data-dir", data.toString(), "--backup-dir",
                    tmp.resolve("b2").toString());
            assertEquals(1, locked.code());
            assertTrue(locked.err().contains("stop the member"), locked.err());
            assertTrue(held.isValid());
        }
        assertTrue(Files.notExists(tmp.resolve("b2")), "no partial backup is left behind");
        assertEquals(1, CliRun.run(Map.of(), "backup", "--data-dir", data.toString(), "--backup-dir",
                tmp.resolve("b1").toString()).code(), "an existing backup is not overwritten");
    }

    @Test
    void aBackupWithItsOwnWalDirRecordsThatOne(@TempDir Path tmp) throws Exception {
        // A member started with --wal-dir records where its WAL is (member/raft/wal-dir) and
        // refuses any other. Copied as is, the backup named the original's WAL: a restore as
        // etcd's is made (--data-dir <backup> --wal-dir <backup wal>) was refused and told to use
        // the original's directory, one that a running member may be writing.
        final Path data = tmp.resolve("data");
        final Path wal = tmp.resolve("wal");
        Files.createDirectories(data.resolve("member/raft/db"));
        Files.writeString(data.resolve("member/raft/db/CURRENT"), "MANIFEST-000005\n");
        Files.writeString(data.resolve("member/raft/wal-dir"), wal + "\n");
        Files.createDirectories(wal);
        Files.writeString(wal.resolve("000004.log"), "wal-bytes");
        final Path backupWal = tmp.resolve("b.wal");
        final CliRun.Outcome ok = CliRun.run(Map.of(), "backup", "--data-dir", data.toString(), "--wal-dir", wal.toString(),
                "--backup-dir", tmp.resolve("b").toString(), "--backup-wal-dir", backupWal.toString());
        assertEquals(0, ok.code(), ok.err());
        assertEquals("wal-bytes", Files.readString(backupWal.resolve("000004.log")));
        assertEquals(backupWal.toAbsolutePath() + "\n", Files.readString(tmp.resolve("b/member/raft/wal-dir")));
        assertEquals(wal + "\n", Files.readString(data.resolve("member/raft/wal-dir")), "the original is left as it was");

        final CliRun.Outcome defaultPlace = CliRun.run(Map.of(), "backup", "--data-dir", data.toString(), "--wal-dir", wal.toString(),
                "--backup-dir", tmp.resolve("b2").toString());
        assertEquals(0, defaultPlace.code(), defaultPlace.err());
        assertEquals(tmp.resolve("b2/wal").toAbsolutePath() + "\n",
                Files.readString(tmp.resolve("b2/member/raft/wal-dir")));
    }

    @Test
    void aStoppedMemberWhoseWalIsElsewhereIsNotBackedUpWithoutIt(@TempDir Path tmp) throws Exception {
        // Its data dir alone holds the flushed tables, not the WAL with the latest writes: the
        // copy would start only on the original's WAL directory, and with what it holds now.
        final Path data = tmp.resolve("data");
        final Path wal = tmp.resolve("wal");
        Files.createDirectories(data.resolve("member/raft/db"));
        Files.writeString(data.resolve("member/raft/db/CURRENT"), "MANIFEST-000005\n");
        Files.writeString(data.resolve("member/raft/wal-dir"), wal + "\n");
        final CliRun.Outcome refused = CliRun.run(Map.of(), "backup", "--data-dir", data.toString(),
                "--backup-dir", tmp.resolve("b").toString());
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().contains("--wal-dir " + wal), refused.err());
        assertTrue(Files.notExists(tmp.resolve("b")), "no backup without its WAL is left behind");
    }

    @Test
    void backupDirectoriesAreForTheirOwnerAloneAsAMembersAre(@TempDir Path tmp) throws Exception {
        // A member makes its data dir's directories 0700 and warns at start about one that is not;
        // a backup restored with cp -a (deploy/OPERATIONS.md) must not bring that warning with it.
        final Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("member/raft/db"));
        Files.writeString(data.resolve("member/raft/db/000001.sst"), "sst-bytes");
        final CliRun.Outcome ok = CliRun.run(Map.of(), "backup", "--data-dir", data.toString(), "--backup-dir",
                tmp.resolve("b").toString());
        assertEquals(0, ok.code(), ok.err());
        for (String dir : List.of("b", "b/member", "b/member/raft", "b/member/raft/db")) {
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(tmp.resolve(dir))), dir);
        }
    }

    @Test
    void backupReachesADataDirThroughASymbolicLink(@TempDir Path tmp) throws Exception {
        final Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("db"));
        Files.writeString(data.resolve("db/000001.sst"), "sst-bytes");
        Files.writeString(data.resolve("db/LOCK"), "");
        final Path alias = Files.createSymbolicLink(tmp.resolve("alias"), data);
        final CliRun.Outcome ok = CliRun.run(Map.of(), "backup", "--data-dir", alias.toString(), "--backup-dir",
                tmp.resolve("b1").toString());
        assertEquals(0, ok.code(), ok.err());
        assertEquals("sst-bytes", Files.readString(tmp.resolve("b1/db/000001.sst")));
        try (FileChannel ch = FileChannel.open(data.resolve("db/LOCK"), StandardOpenOption.WRITE);
             FileLock held = ch.lock()) {
            final CliRun.Outcome locked = CliRun.run(Map.of(), "backup", "--data-dir", alias.toString(), "--backup-dir",
                    tmp.resolve("b2").toString());
            assertEquals(1, locked.code(), "the lock is found behind the link: " + locked.err());
            assertTrue(locked.err().contains("stop the member"), locked.err());
        }
    }

    @Test
    void backupOfARunningMemberSaysWhyTheMemberCouldNotCopy(@TempDir Path tmp) throws Exception {
        final Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("member/raft/db"));
        Files.createDirectories(data.resolve(RunningMemberCopy.DIR));
        Files.writeString(data.resolve("member/raft/db/LOCK"), "");
        try (FileChannel ch = FileChannel.open(data.resolve("member/raft/db/LOCK"), StandardOpenOption.WRITE);
             FileLock held = ch.lock();
             ServerSocketChannel member = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            member.bind(UnixDomainSocketAddress.of(data.resolve(RunningMemberCopy.DIR).resolve("sock")));
            final Thread answering = new Thread(() -> {
                try (SocketChannel c = member.accept()) {
                    final ByteBuffer request = ByteBuffer.allocate(64);
                    while (request.position() == 0 || request.get(request.position() - 1) != '\n') {
                        if (c.read(request) < 0) return;
                    }
                    assertEquals("checkpoint\n", new String(request.array(), 0, request.position(),
                            StandardCharsets.US_ASCII));
                    c.write(ByteBuffer.wrap("error no space left on device\n".getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            answering.start();
            final CliRun.Outcome failed = CliRun.run(Map.of(), "backup", "--data-dir", data.toString(), "--backup-dir",
                    tmp.resolve("b").toString());
            answering.join(10_000);
            assertEquals(1, failed.code());
            assertTrue(failed.err().contains("the member could not copy its data dir: no space left on device"),
                    failed.err());
            assertTrue(held.isValid());
        }
        assertTrue(Files.notExists(tmp.resolve("b")), "no partial backup is left behind");
    }
}
