package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.testkit.LoopbackPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --proxy readonly, ours beside Debian's etcd's, both in front of one etcd member: the same raw
 * requests, each exchange on one keep-alive connection, must be answered alike (status, which
 * headers a refusal has, the body a GET gets).
 */
class ReadonlyProxyTest {
  @TempDir
  Path tmp;

  @Test
  void onlyGetsPassAndEverythingElseIs501OnTheSameConnection() throws Exception {
    try (DebianEtcd etcd = DebianEtcd.member(tmp, "e")) {
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(etcd.clientUrl + "/v2/keys/ro"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .PUT(HttpRequest.BodyPublishers.ofString("value=original")).build(), HttpResponse.BodyHandlers.ofString());
      String theirs = "http://127.0.0.1:" + LoopbackPorts.next();
      String ours = "http://127.0.0.1:" + LoopbackPorts.next();
      try (DebianEtcd reference = DebianEtcd.start(tmp.resolve("their-proxy.log"), theirs, List.of(
              "--proxy", "readonly", "--data-dir", tmp.resolve("their-proxy").toString(),
              "--initial-cluster", "e=" + etcd.peerUrl));
          ProxyProcess candidate = ProxyProcess.launch(tmp, ours, "readonly",
              List.of("--initial-cluster", "e=" + etcd.peerUrl)).awaitServing()) {
        String put = "PUT /v2/keys/ro HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Content-Length: 11\r\n\r\nvalue=wrong";
        String get = "GET /v2/keys/ro HTTP/1.1\r\nHost: x\r\n\r\n";
        List<List<String>> exchanges = List.of(
            List.of(put, get),
            List.of("POST /v2/keys/ro HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", get),
            List.of("DELETE /v2/keys/ro HTTP/1.1\r\nHost: x\r\n\r\n", get),
            List.of("HEAD /v2/keys/ro HTTP/1.1\r\nHost: x\r\n\r\n", get),
            List.of("OPTIONS /v2/keys/ro HTTP/1.1\r\nHost: x\r\n\r\n", get),
            List.of("PUT /v2/keys/ro HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "b\r\nvalue=wrong\r\n0\r\n\r\n", get),
            List.of("GET /v2/members HTTP/1.1\r\nHost: x\r\n\r\n"),
            List.of("PUT /v2/keys/ro?value=wrong HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            // a chunk size that is no number: Go's server gives up on the connection
            List.of("GET /v2/keys/ro HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
        for (List<String> exchange : exchanges) {
          List<String> expected = RawExchanges.converse(theirs, exchange, false);
          List<String> actual = RawExchanges.converse(ours, exchange, false);
          assertEquals(expected, actual, "through each readonly proxy: " + exchange);
        }
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> after = http.send(HttpRequest.newBuilder(
            URI.create(etcd.clientUrl + "/v2/keys/ro")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(after.body().contains("\"value\":\"original\""), "nothing was written: " + after.body());

        // confd's long poll through it: the watch waits, and the member's next write reaches it.
        long next = after.headers().firstValueAsLong("X-Etcd-Index").orElseThrow() + 1;
        java.util.concurrent.CompletableFuture<HttpResponse<String>> watch = http.sendAsync(
            HttpRequest.newBuilder(URI.create(ours + "/v2/keys/ro?wait=true&waitIndex=" + next)).build(),
            HttpResponse.BodyHandlers.ofString());
        http.send(HttpRequest.newBuilder(URI.create(etcd.clientUrl + "/v2/keys/ro"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .PUT(HttpRequest.BodyPublishers.ofString("value=watched")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> event = watch.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(event.body().contains("\"value\":\"watched\""), event.body());
      }
    }
  }
}
