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
 * Copies a stopped member's data directory. Consistency comes from two rules: no server may hold a
 * RocksDB {@code LOCK} file inside it (a running member does, with the same fcntl lock we try), and
 * the copy appears only by an atomic rename of a finished temporary directory.
 */
final class DataDirCopier {
    private final PrintStream log;

    DataDirCopier(PrintStream log) {
        this.log = log;
    }

    void copy(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            throw new IOException(source + " is not a directory");
        }
        if (!BackupCommand.isEmptyOrAbsent(target)) {
            throw new IOException(target + " exists and is not empty");
        }
        final List<FileLock> locks = lockAll(source);
        final Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        final Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
        try {
            final long[] totals = new long[2];
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(staging.resolve(source.relativize(dir).toString()));
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
            log.print("backup: copied " + totals[0] + " files (" + totals[1] + " bytes) from " + source + " to "
                    + target + "\n");
        } catch (IOException e) {
            deleteTree(staging);
            throw e;
        } finally {
            for (FileLock lock : locks) {
                lock.channel().close();
            }
        }
    }

    /** Holds every LOCK file for the duration of the copy, so no server can start on it meanwhile. */
    private static List<FileLock> lockAll(Path source) throws IOException {
        final List<FileLock> locks = new ArrayList<>();
        final List<Path> lockFiles;
        try (Stream<Path> files = Files.walk(source)) {
            lockFiles = files.filter(p -> p.getFileName().toString().equals("LOCK")).toList();
        }
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
                throw new IOException(lockFile + " is locked: stop the member before taking a backup");
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
