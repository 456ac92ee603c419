package io.v2store.etcdctl.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "backup", description = {"backup an etcd directory", "",
        "For OUR server (v2store): copies a member's data directory (--data-dir)",
        "into --backup-dir as one consistent copy. A running member is asked",
        "(through a socket in its data directory) for a copy of its own, taken at",
        "one moment while it goes on serving; a stopped one is copied as it is, its",
        "locks held so that no member starts on it meanwhile. The copy is written",
        "into a temporary sibling directory and renamed into place, so a backup",
        "directory is either complete or absent. Restore it by starting a member on",
        "it with --force-new-cluster. The reference's snapshot+WAL format (and",
        "--with-v3) does not apply here."},
        customSynopsis = "etcdctl backup --data-dir <dir> --backup-dir <dir> [--wal-dir <dir> --backup-wal-dir <dir>]")
final class BackupCommand implements Callable<Integer> {
    /** Where a member records the --wal-dir its log was created with (storage's WalPlacement). */
    private static final Path WAL_DIR_RECORD = Path.of("member", "raft", "wal-dir");

    @ParentCommand
    RootCommand root;

    @Option(names = "--data-dir", paramLabel = "value", description = "Path to the etcd data dir")
    String dataDir = "";

    @Option(names = "--wal-dir", paramLabel = "value", description = "Path to the etcd wal dir (copied as is when given)")
    String walDir = "";

    @Option(names = "--backup-dir", paramLabel = "value", description = "Path to the backup dir")
    String backupDir = "";

    @Option(names = "--backup-wal-dir", paramLabel = "value", description = "Path to the backup wal dir")
    String backupWalDir = "";

    @Option(names = "--with-v3", description = "accepted for compatibility; the whole data dir is always copied")
    boolean withV3;

    @Option(names = {"--help", "-h"}, usageHelp = true, description = "show help")
    boolean help;

    @Override
    public Integer call() {
        if (dataDir.isEmpty() || backupDir.isEmpty()) {
            throw CliExit.error(ExitCodes.BAD_ARGS, "--data-dir and --backup-dir are required");
        }
        final DataDirCopier copier = new DataDirCopier(root.io().err());
        try {
            copier.copy(Path.of(dataDir), Path.of(backupDir));
            final String walElsewhere = recordedWalDir(Path.of(backupDir));
            if (walDir.isEmpty() && !walElsewhere.isEmpty()) {
                // A stopped member's copy without its WAL: its latest writes are not in it.
                deleteTree(Path.of(backupDir));
                throw new IOException(dataDir + " keeps its WAL in " + walElsewhere
                        + " (its member's --wal-dir): give --wal-dir " + walElsewhere + " too");
            }
            if (!walDir.isEmpty()) {
                final Path walTarget = backupWalDir.isEmpty() ? Path.of(backupDir, "wal") : Path.of(backupWalDir);
                copier.copy(Path.of(walDir), walTarget);
                recordWalDir(Path.of(backupDir), walTarget);
            }
        } catch (IOException e) {
            throw CliExit.error(ExitCodes.BAD_ARGS, "backup failed: " + e.getMessage());
        }
        return ExitCodes.SUCCESS;
    }

    /**
     * A member started with --wal-dir records where its WAL is ({@code member/raft/wal-dir}) and
     * refuses to start with any other: the copy's record must name the copy's WAL, not the
     * original's (which a running member may be writing). A copy whose WAL is inside its own
     * {@code db/} (a running member's, a member without --wal-dir) records none and is left so.
     */
    private static void recordWalDir(Path backup, Path walTarget) throws IOException {
        if (recordedWalDir(backup).isEmpty()) {
            return;
        }
        final Path record = backup.resolve(WAL_DIR_RECORD);
        final Path tmp = record.resolveSibling(record.getFileName() + ".tmp");
        Files.writeString(tmp, walTarget.toAbsolutePath().normalize() + "\n");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(record.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** The WAL directory a copied data dir records, or "" when its WAL is inside it. */
    private static String recordedWalDir(Path backup) throws IOException {
        final Path record = backup.resolve(WAL_DIR_RECORD);
        return Files.exists(record) ? Files.readString(record).trim() : "";
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static boolean isEmptyOrAbsent(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
