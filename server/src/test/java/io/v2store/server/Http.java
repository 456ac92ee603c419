package io.v2store.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few HTTP calls the real-process tests make, with timeouts so no test can hang. */
final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private Http() {}

  static HttpResponse<String> get(ServerProcess p, String path)
      throws IOException, InterruptedException {
    return send(p, "GET", path, null);
  }

  static HttpResponse<String> put(ServerProcess p, String path, String form)
      throws IOException, InterruptedException {
    return send(p, "PUT", path, form);
  }

  /** form null = no body; otherwise an url-encoded form body, as etcd clients send. */
  static HttpResponse<String> send(ServerProcess p, String method, String path, String form)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(p.clientUrl() + path))
        .timeout(REQUEST_TIMEOUT);
    if (form == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/x-www-form-urlencoded")
          .method(method, HttpRequest.BodyPublishers.ofString(form));
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** As a v2 auth user (HTTP basic auth); json null = no body. */
  static HttpResponse<String> as(ServerProcess p, String userAndPassword, String method,
      String path, String json) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(p.clientUrl() + path))
        .timeout(REQUEST_TIMEOUT).method(method, json == null
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) b.header("Content-Type", "application/json");
    if (userAndPassword != null) {
      b.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
          userAndPassword.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> postJson(ServerProcess p, String path, String json)
      throws IOException, InterruptedException {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(p.clientUrl() + path))
        .timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
