package io.v2store.dist;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the checked files are: the surefire configuration passes both paths. */
final class RepoPaths {
  private RepoPaths() {}

  static Path repoRoot() {
    final String root = System.getenv("V2STORE_REPO_ROOT");
    return (root != null ? Path.of(root) : Path.of("..")).toAbsolutePath().normalize();
  }

  static Path deploy() {
    return repoRoot().resolve("deploy");
  }

  static Path archive() {
    final String archive = System.getenv("V2STORE_ARCHIVE");
    if (archive == null || !Files.isRegularFile(Path.of(archive))) {
      throw new IllegalStateException("no release archive at " + archive
          + "; the assembly runs before the tests: mvn -pl dist test");
    }
    return Path.of(archive);
  }
}
