package io.v2store.etcdctl.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies a member's data directory as one consistent copy. A stopped member's is copied as it is,
 * its RocksDB {@code LOCK} files held meanwhile (with the same fcntl lock a member takes) so that
 * none starts on it. A running member, which holds them, is asked for a copy of its own (see
 * {@link RunningMemberCopy}), which is copied instead. Either way the copy appears only by an
 * atomic rename of a finished temporary directory.
 */
final class DataDirCopier {
    private final PrintStream log;

    DataDirCopier(PrintStream log) {
        this.log = log;
    }

    void copy(Path given, Path target) throws IOException {
        if (!Files.isDirectory(given)) {
            throw new IOException(given + " is not a directory");
        }
        if (!BackupCommand.isEmptyOrAbsent(target)) {
            throw new IOException(target + " exists and is not empty");
        }
        // A data dir reached through a symbolic link (/var/lib/etcd -> /data/etcd) is walked as
        // the directory itself: a walk that started on the link would see one file, no locks.
        final Path source = given.toRealPath();
        final List<FileLock> locks = tryLockAll(source);
        if (locks == null) {
            copyFromRunningMember(given, source, target);
            return;
        }
        try {
            final long[] totals = copyTree(source, target);
            log.print("backup: copied " + totals[0] + " files (" + totals[1] + " bytes) from " + given + " to "
                    + target + "\n");
        } finally {
            for (FileLock lock : locks) {
                lock.channel().close();
            }
        }
    }

    private void copyFromRunningMember(Path given, Path source, Path target) throws IOException {
        try (RunningMemberCopy running = RunningMemberCopy.request(source)) {
            final long[] totals = copyTree(running.dataDir(), target);
            log.print("backup: copied " + totals[0] + " files (" + totals[1] + " bytes) of the running member's "
                    + given + " to " + target + "\n");
        } catch (RunningMemberCopy.Unavailable e) {
            throw new IOException(given + " is locked by a running member that offers no copy of it ("
                    + e.getMessage() + "): stop the member before taking a backup");
        }
    }

    /** Files and bytes copied. Skips a member's own backup directory (its socket, its copies). */
    private static long[] copyTree(Path source, Path target) throws IOException {
        final Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        final Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
        final Path skipped = source.resolve(RunningMemberCopy.DIR);
        try {
            final long[] totals = new long[2];
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (dir.equals(skipped)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    // 0700, as a member makes its own (and as etcd's backup makes them): it warns
                    // at start about a directory others may read
                    Files.createDirectories(staging.resolve(source.relativize(dir).toString()),
                            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    final Path to = staging.resolve(source.relativize(file).toString());
                    Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
                    try (FileChannel ch = FileChannel.open(to, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                    totals[0]++;
                    totals[1] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }
            });
            Files.deleteIfExists(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return totals;
        } catch (IOException e) {
            deleteTree(staging);
            throw e;
        }
    }

    /**
     * Holds every LOCK file for the duration of the copy, so no server can start on it meanwhile;
     * null when a server holds one.
     */
    private static List<FileLock> tryLockAll(Path source) throws IOException {
        final List<FileLock> locks = new ArrayList<>();
        final List<Path> lockFiles = new ArrayList<>();
        final Path skipped = source.resolve(RunningMemberCopy.DIR);
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.equals(skipped) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (file.getFileName().toString().equals("LOCK")) {
                    lockFiles.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        for (Path lockFile : lockFiles) {
            final FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE);
            FileLock lock = null;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                for (FileLock held : locks) {
                    held.channel().close();
                }
                return null;
            }
            locks.add(lock);
        }
        return locks;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
