package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.testkit.LoopbackPorts;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --host-whitelist on an http:// client listener, ours beside Debian's etcd with the same list:
 * the same raw requests, exchange by exchange on one keep-alive connection, get the same answers
 * (etcd's 421 and its text, no CORS headers on it, the connection kept, a refused write not
 * applied).
 */
class HostWhitelistTest {
  @TempDir
  Path tmp;

  @Test
  void requestsForHostsNotListedAreRefusedAsEtcdRefusesThem() throws Exception {
    List<String> whitelist = List.of("--host-whitelist", "example.com,127.0.0.1,::1");
    String theirs = "http://127.0.0.1:" + LoopbackPorts.next();
    String peer = "http://127.0.0.1:" + LoopbackPorts.next();
    List<String> theirFlags = new java.util.ArrayList<>(List.of("--enable-v2=true", "--name", "e",
        "--data-dir", tmp.resolve("e").toString(), "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer, "--initial-cluster", "e=" + peer));
    theirFlags.addAll(whitelist);
    try (ServerProcess ours = new ServerProcess(tmp.resolve("n1"), whitelist).start();
        DebianEtcd etcd = DebianEtcd.start(tmp.resolve("e.log"), theirs, theirFlags)) {
      String listing = "GET /v2/keys/ HTTP/1.1\r\nHost: example.com\r\n\r\n";
      List<List<String>> exchanges = List.of(
          List.of("GET /version HTTP/1.1\r\nHost: 127.0.0.1:2379\r\n\r\n",
              "GET /version HTTP/1.1\r\nHost: example.com\r\n\r\n",
              "GET /version HTTP/1.1\r\nHost: [::1]:2379\r\n\r\n"),
          List.of("GET /v2/keys/ HTTP/1.1\r\nHost: evil.com\r\n\r\n", listing),
          List.of("PUT /v2/keys/x HTTP/1.1\r\nHost: evil.com:80\r\nContent-Type: "
              + "application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\nvalue=1", listing),
          List.of("PUT /v2/keys/y HTTP/1.1\r\nHost: evil.com\r\nTransfer-Encoding: chunked\r\n"
              + "Content-Type: application/x-www-form-urlencoded\r\n\r\n7\r\nvalue=1\r\n0\r\n\r\n",
              listing),
          List.of("OPTIONS /v2/keys/ HTTP/1.1\r\nHost: evil.com\r\nOrigin: http://evil.com\r\n\r\n"),
          List.of("GET /health HTTP/1.1\r\nHost: EXAMPLE.com\r\n\r\n"),
          List.of("GET /version HTTP/1.1\r\nHost: [::1]\r\n\r\n"),
          List.of("GET http://example.com/version HTTP/1.1\r\nHost: evil.com\r\n\r\n"),
          List.of("GET /version HTTP/1.0\r\n\r\n"),
          // HTTP/1.1 needs a Host header, Go's server's 400 before the whitelist; an empty one
          // is a host, and not listed
          List.of("GET /version HTTP/1.1\r\n\r\n"),
          List.of("GET /version HTTP/1.1\r\nHost:\r\n\r\n"),
          // HTTP/1.0 answered in 1.0, kept open only when asked, as Go's server does
          List.of("GET /version HTTP/1.0\r\nHost: example.com\r\nConnection: keep-alive\r\n\r\n",
              "GET /v2/keys/ HTTP/1.0\r\nHost: evil.com\r\nConnection: keep-alive\r\n\r\n",
              "GET /version HTTP/1.0\r\nHost: example.com\r\n\r\n"));
      for (List<String> exchange : exchanges) {
        List<String> expected = RawExchanges.converse(theirs, exchange, true);
        List<String> actual = RawExchanges.converse(ours.clientUrl(), exchange, true);
        assertEquals(expected, actual, "answered alike: " + exchange);
      }
      // the refusals above are etcd's, not an accident of both
      String refused = RawExchanges.converse(ours.clientUrl(),
          List.of("GET /v2/keys/ HTTP/1.1\r\nHost: evil.com\r\n\r\n"), true).get(0);
      assertTrue(refused.startsWith("HTTP/1.1 421 Misdirected Request"), refused);
      assertTrue(refused.contains("etcd --host-whitelist \"evil.com\""), refused);
      assertTrue(!refused.contains("access-control"), refused);
      assertTrue(ours.log().contains("rejecting HTTP request to prevent DNS rebinding attacks"),
          ours::logTail);
    }
  }
}
