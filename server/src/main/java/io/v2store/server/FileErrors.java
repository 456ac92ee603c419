package io.v2store.server;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** A file system failure in Go's words: the file, then what the system call said. */
final class FileErrors {
  private FileErrors() {}

  static String describe(FileSystemException e) {
    String reason;
    if (e instanceof NoSuchFileException) reason = "no such file or directory";
    else if (e instanceof FileAlreadyExistsException) reason = "file exists (not a directory?)";
    else if (e instanceof AccessDeniedException) reason = "permission denied";
    else if (e instanceof NotDirectoryException) reason = "not a directory";
    else if (e instanceof DirectoryNotEmptyException) reason = "directory not empty";
    else reason = e.getReason() == null ? e.getClass().getSimpleName()
        : e.getReason().toLowerCase(java.util.Locale.ROOT);
    String file = e.getFile() == null ? "" : e.getFile() + ": ";
    return file + reason;
  }
}
