package io.v2store.server;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.logging.Logger;

/**
 * etcd's {@code fileutil.TouchDirAll} for the data dir and the WAL dir: a directory made here
 * (and each missing parent) is its user's alone (0700), since it holds every key and the log of
 * every request; one that exists already is used as it is, with etcd's warning when others may
 * read it.
 */
final class PrivateDirs {
  private static final Logger LOG = Logger.getLogger("etcd");
  private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

  private PrivateDirs() {}

  static void touch(Path dir) throws IOException {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    if (Files.isDirectory(dir)) {
      if (posix) {
        Set<PosixFilePermission> actual = Files.getPosixFilePermissions(dir);
        if (!actual.equals(PRIVATE)) {
          LOG.warning("check file permission: directory \"" + dir + "\" exist, but the permission is \"d"
              + PosixFilePermissions.toString(actual) + "\". The recommended permission is \"-rwx------\" "
              + "to prevent possible unprivileged access to the data.");
        }
      }
      return;
    }
    if (posix) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
    } else {
      Files.createDirectories(dir);
    }
  }
}
