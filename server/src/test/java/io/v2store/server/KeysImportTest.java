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

  /**
   * etcd 3.4 started without --enable-v2 answers Go's plain 404 for /v2/keys: the refusal says
   * what to do, not only what came back.
   */
  @Test
  void anEtcdWithoutItsV2ApiIsNamedAsSuch() throws Exception {
    com.sun.net.httpserver.HttpServer etcd = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    etcd.createContext("/", exchange -> {
      byte[] body = "404 page not found\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(404, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    etcd.start();
    try {
      java.net.URI source = java.net.URI.create("http://127.0.0.1:" + etcd.getAddress().getPort());
      IOException refused = assertThrows(IOException.class, () -> KeysImport.read(List.of(source)));
      assertTrue(refused.getMessage().contains("answered 404: 404 page not found (etcd 3.4 serves"
          + " the v2 API only with --enable-v2=true"), refused.getMessage());
    } finally {
      etcd.stop(0);
    }
  }
}
