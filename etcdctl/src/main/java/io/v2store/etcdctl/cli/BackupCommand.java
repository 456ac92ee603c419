package io.v2store.etcdctl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "backup", description = {"backup an etcd directory", "",
        "For OUR server (v2store): copies a STOPPED member's data directory (--data-dir) into --backup-dir as one",
        "consistent copy. It refuses to run while a server holds the data directory's RocksDB locks, writes into a",
        "temporary sibling directory and renames it into place, so a backup directory is either complete or absent.",
        "The reference's snapshot+WAL format (and --with-v3) does not apply to this server's data directory."},
        customSynopsis = "etcdctl backup --data-dir <dir> --backup-dir <dir> [--wal-dir <dir> --backup-wal-dir <dir>]")
final class BackupCommand implements Callable<Integer> {
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
            if (!walDir.isEmpty()) {
                final Path walTarget = backupWalDir.isEmpty() ? Path.of(backupDir, "wal") : Path.of(backupWalDir);
                copier.copy(Path.of(walDir), walTarget);
            }
        } catch (IOException e) {
            throw CliExit.error(ExitCodes.BAD_ARGS, "backup failed: " + e.getMessage());
        }
        return ExitCodes.SUCCESS;
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
