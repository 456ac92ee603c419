package io.v2store.storage.log;

import com.google.protobuf.ByteString;
import io.v2store.raft.pb.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Small builders shared by the log tests. */
final class TestEntries {
  private TestEntries() {}

  static Entry entry(long index, long term) {
    return Entry.newBuilder()
        .setIndex(index)
        .setTerm(term)
        .setData(ByteString.copyFromUtf8("entry " + index + " of term " + term))
        .build();
  }

  /** Entries [from, to] all of the given term. */
  static List<Entry> run(long from, long to, long term) {
    final List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(entry(i, term));
    }
    return out;
  }

  /** Entries [from, to] of term 1, each carrying about bytes of data. */
  static List<Entry> padded(long from, long to, int bytes) {
    final List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      final String head = "entry " + i + " ";
      out.add(Entry.newBuilder().setIndex(i).setTerm(1)
          .setData(ByteString.copyFromUtf8(head + "x".repeat(Math.max(0, bytes - head.length()))))
          .build());
    }
    return out;
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
