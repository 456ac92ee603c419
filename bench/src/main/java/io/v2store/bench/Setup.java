package io.v2store.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The few blocking calls made before a run: finding the leader, loading the keys a read run
 * reads, and writing a key to learn the current index. Not measured, so a plain JDK client.
 */
final class Setup {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int LOAD_WINDOW = 32;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();

  /**
   * The endpoints whose /v2/stats/self says "StateLeader" (etcd and ours answer alike). A member
   * that does not answer is not the leader: one member down must not stop a run at the leader.
   */
  List<URI> leaders(List<URI> endpoints) throws IOException, InterruptedException {
    List<URI> out = new ArrayList<>();
    List<String> unanswered = new ArrayList<>();
    for (URI e : endpoints) {
      HttpResponse<String> r;
      try {
        r = http.send(HttpRequest.newBuilder(e.resolve("/v2/stats/self")).timeout(TIMEOUT)
            .build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException failed) {
        unanswered.add(e + " (" + failed + ")");
        continue;
      }
      if (r.statusCode() == 200 && r.body().contains("\"StateLeader\"")) out.add(e);
    }
    if (out.isEmpty()) {
      throw new IOException("no endpoint says it is the leader: " + endpoints
          + (unanswered.isEmpty() ? "" : "; no answer from " + unanswered));
    }
    return out;
  }

  /** Writes keys 0..count-1 under the read prefix, LOAD_WINDOW at a time. */
  void loadKeys(URI endpoint, String prefix, int count, int valueBytes)
      throws IOException, InterruptedException {
    String body = "value=" + "x".repeat(valueBytes);
    for (int start = 0; start < count; start += LOAD_WINDOW) {
      List<CompletableFuture<HttpResponse<Void>>> window = new ArrayList<>();
      for (int i = start; i < Math.min(count, start + LOAD_WINDOW); i++) {
        window.add(http.sendAsync(put(endpoint, RequestFactory.readKey(prefix, i), body),
            HttpResponse.BodyHandlers.discarding()));
      }
      for (CompletableFuture<HttpResponse<Void>> f : window) {
        int status;
        try {
          status = f.join().statusCode();
        } catch (CompletionException e) {
          throw new IOException("loading keys into " + endpoint + ": " + e.getCause(), e);
        }
        if (status != 200 && status != 201) {
          throw new IOException("loading keys into " + endpoint + ": HTTP " + status);
        }
      }
    }
  }

  /** Writes one key and returns the modifiedIndex of the write (the X-Etcd-Index header). */
  long putForIndex(URI endpoint, String key, String value)
      throws IOException, InterruptedException {
    HttpResponse<String> r;
    try {
      r = http.send(put(endpoint, key, "value=" + value), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException("PUT " + key + " on " + endpoint + ": " + e, e);
    }
    if (r.statusCode() != 200 && r.statusCode() != 201) {
      throw new IOException("PUT " + key + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return Long.parseLong(r.headers().firstValue("X-Etcd-Index").orElseThrow(
        () -> new IOException("no X-Etcd-Index on PUT " + key)));
  }

  private static HttpRequest put(URI endpoint, String key, String formBody) {
    return HttpRequest.newBuilder(endpoint.resolve("/v2/keys" + key)).timeout(TIMEOUT)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .PUT(HttpRequest.BodyPublishers.ofString(formBody)).build();
  }
}
