package io.v2store.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.v2store.storage.store.KeySpace;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** An HttpApiServer on 127.0.0.1 port 0 over a DirectBackend, with small HTTP helpers. */
final class ServerFixture implements AutoCloseable {
  final DirectBackend backend;
  final HttpClient client = CLIENT;
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final HttpApiServer server;
  final int port;
  final int metricsPort;
  /** Shared: building a client costs about a second of start-up. */
  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ServerFixture() {
    this(config(List.of("*"), 1024 * 1024, 7_000));
  }

  ServerFixture(HttpApiConfig config) {
    this(config, KeySpace.DEFAULT_HISTORY);
  }

  ServerFixture(HttpApiConfig config, int historyCapacity) {
    backend = new DirectBackend(historyCapacity);
    server = new HttpApiServer(config, backend, registry);
    server.start(List.of(URI.create("http://127.0.0.1:0")), List.of(URI.create("http://127.0.0.1:0")));
    List<InetSocketAddress> bound = server.boundAddresses();
    port = bound.get(0).getPort();
    metricsPort = bound.get(1).getPort();
  }

  static HttpApiConfig config(List<String> cors, long maxRequestBytes, long timeoutMillis) {
    return config(Clock.systemUTC(), cors, maxRequestBytes, timeoutMillis);
  }

  static HttpApiConfig config(Clock clock, List<String> cors, long maxRequestBytes,
      long timeoutMillis) {
    return new HttpApiConfig(maxRequestBytes, cors, clock, "3.4.23", "3.4.0", timeoutMillis);
  }

  /** Opens a connection, sends a request and returns the socket with the headers read. */
  static Socket openAndReadHeaders(int port, String request, StringBuilder headers)
      throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    InputStream in = s.getInputStream();
    while (headers.length() < 4 || !headers.substring(headers.length() - 4).equals("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before headers ended: " + headers);
      }
      headers.append((char) b);
    }
    return s;
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  HttpResponse<String> get(String pathAndQuery) throws Exception {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
  }

  HttpResponse<String> send(String method, String pathAndQuery) throws Exception {
    return send(HttpRequest.newBuilder(uri(pathAndQuery))
        .method(method, HttpRequest.BodyPublishers.noBody()).build());
  }

  /** A form-encoded body, as etcd clients send PUT/POST parameters. */
  HttpResponse<String> form(String method, String pathAndQuery, String body) throws Exception {
    return send(HttpRequest.newBuilder(uri(pathAndQuery))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
  }

  HttpResponse<String> send(HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Sends raw bytes and reads until the server closes (the request should say Connection: close). */
  static String raw(int port, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000); // a deadline for a loaded 2-core machine, not an expectation
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          got.write(buf, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("server did not close; got so far: " + got, e);
      }
      return got.toString(StandardCharsets.ISO_8859_1);
    }
  }

  @Override
  public void close() {
    server.close();
    backend.close();
  }
}
