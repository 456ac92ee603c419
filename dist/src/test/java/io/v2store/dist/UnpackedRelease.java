package io.v2store.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** The release archive unpacked once per test JVM into a temporary directory, as a user would. */
final class UnpackedRelease {
  private static Path home;

  private UnpackedRelease() {}

  static synchronized Path home() {
    if (home == null) {
      home = unpack(RepoPaths.archive());
    }
    return home;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("could not remove " + dir + ": " + e);
    }
  }

  private static Path unpack(Path archive) {
    try {
      final Path dir = Files.createTempDirectory("v2store-release");
      // deleteOnExit cannot remove a directory that is not empty: each run left ~110 MB behind.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "remove-unpacked-release"));
      final Commands.Result tar = Commands.run(dir, Map.of(), 120, "tar", "xzf", archive.toString());
      if (tar.exitCode() != 0) {
        throw new IllegalStateException("tar failed: " + tar.output());
      }
      try (Stream<Path> top = Files.list(dir)) {
        return top.filter(Files::isDirectory).findFirst()
            .orElseThrow(() -> new IllegalStateException("the archive has no top directory"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
