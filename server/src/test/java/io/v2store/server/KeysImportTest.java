package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.storage.store.ImportedNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --import-from files: answers saved with curl -si, as README's "Moving from etcd" has them made. */
class KeysImportTest {
  @TempDir
  Path tmp;

  private Path saved(String name, String status, String index, String body) throws IOException {
    return Files.writeString(tmp.resolve(name), status + "\r\nContent-Type: application/json\r\n"
        + "X-Etcd-Cluster-Id: a4e86802fdbed04e\r\nX-Etcd-Index: " + index + "\r\n\r\n" + body + "\n");
  }

  @Test
  void fleetsDirectorySavedFromAClusterWithoutItIsNothingToImport() throws Exception {
    Path keys = saved("keys.http", "HTTP/1.1 200 OK", "6", "{\"action\":\"get\",\"node\":{\"dir\":true,"
        + "\"nodes\":[{\"key\":\"/app\",\"dir\":true,\"nodes\":[{\"key\":\"/app/a\",\"value\":\"1\","
        + "\"modifiedIndex\":4,\"createdIndex\":4}],\"modifiedIndex\":4,\"createdIndex\":4}]}}");
    // What README's second curl saves from an etcd that never ran fleet: etcd's 404.
    Path fleet = saved("fleet.http", "HTTP/1.1 404 Not Found", "7",
        "{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/_coreos.com\",\"index\":7}");
    KeysImport.Listing listing = KeysImport.read(List.of(keys.toUri(), fleet.toUri()));
    assertEquals(List.of("/app", "/app/a"), listing.nodes().stream().map(ImportedNode::path).toList());
    assertEquals(7, listing.index(), "the highest index a source gave");

    // Any other key missing is still refused, as it is from a URL: the source named it.
    Path mine = saved("mine.http", "HTTP/1.1 404 Not Found", "7",
        "{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/_myapp\",\"index\":7}");
    IOException refused = assertThrows(IOException.class,
        () -> KeysImport.read(List.of(keys.toUri(), mine.toUri())));
    assertTrue(refused.getMessage().contains("not a saved 200 answer"), refused.getMessage());
  }
}
