package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data dir holds every key and the log of every request (passwords of v2 auth users
 * included): as etcd makes it (and a --wal-dir) for its user alone, so do we; a data dir made by
 * someone else with wider permissions is used as it is, with etcd's warning.
 */
class DataDirPermissionsTest {
  @TempDir
  Path tmp;

  private static String mode(Path dir) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
  }

  @Test
  void newDirectoriesAreTheUsersAloneAndAnOpenOneIsWarnedAbout() throws Exception {
    Path data = tmp.resolve("m.etcd");
    Path wal = tmp.resolve("wals").resolve("wal");
    try (ServerProcess member = new ServerProcess(data, List.of("--wal-dir", wal.toString()))) {
      member.start();
    }
    for (Path dir : List.of(data, data.resolve("member"), tmp.resolve("wals"), wal)) {
      assertEquals("rwx------", mode(dir), dir.toString());
    }

    Path open = tmp.resolve("open.etcd");
    Files.createDirectory(open, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxr-xr-x")));
    try (ServerProcess member = new ServerProcess(open, List.of())) {
      member.start();
      assertTrue(member.log().contains("check file permission: directory \"" + open + "\" exist, but the "
          + "permission is \"drwxr-xr-x\". The recommended permission is \"-rwx------\""), member.log());
    }
    assertEquals("rwxr-xr-x", mode(open), "an existing data dir is left as it is, as etcd leaves it");
    assertEquals("rwx------", mode(open.resolve("member")));
  }
}
