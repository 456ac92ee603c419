package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import io.v2store.testkit.LoopbackPorts;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy's member list: read from a peer's GET /members, taken in turn, failures passed over. */
class ProxyEndpointsTest {
  private final AtomicReference<String> members = new AtomicReference<>("[]");
  private final AtomicReference<List<URI>> changed = new AtomicReference<>();
  private HttpServer peer;

  @BeforeEach
  void startPeer() throws Exception {
    peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    peer.createContext("/members", exchange -> {
      byte[] body = members.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    peer.start();
  }

  @AfterEach
  void stopPeer() {
    peer.stop(0);
  }

  private URI peerUrl() {
    return URI.create("http://127.0.0.1:" + peer.getAddress().getPort());
  }

  /** A member whose peer URL is the fake peer's, as a real member lists its own. */
  private String member(int clientPort) {
    return member(peerUrl(), clientPort);
  }

  private static String member(URI peerUrl, int clientPort) {
    return "{\"id\":1,\"peerURLs\":[\"" + peerUrl + "\"],\"name\":\"m\",\"clientURLs\":"
        + "[\"http://127.0.0.1:" + clientPort + "\"]}";
  }

  @Test
  void eachConnectionStartsWithTheNextMemberAndAFailedOneIsPassedOver() throws Exception {
    members.set("[" + member(1001) + "," + member(1002) + "," + member(1003) + "]");
    ProxyEndpoints endpoints = new ProxyEndpoints(
        List.of(URI.create("http://127.0.0.1:" + LoopbackPorts.next()), peerUrl()), 60_000, 1_000,
        changed::set);
    assertTrue(endpoints.isEmpty());
    endpoints.refresh(); // the first peer URL does not answer; the second does
    assertEquals(List.of(1001, 1002, 1003), ports(endpoints.forNextRequest()));
    assertEquals(List.of(1002, 1003, 1001), ports(endpoints.forNextRequest()));
    endpoints.failed(local(1003));
    assertEquals(List.of(1001, 1002), ports(endpoints.forNextRequest()));

    // A refresh brings the new list, and an unreadable answer keeps the last one known.
    members.set("[" + member(1004) + "]");
    endpoints.refresh();
    assertEquals(List.of(1004), ports(endpoints.forNextRequest()));
    members.set("not json");
    endpoints.refresh();
    assertEquals(List.of(1004), ports(endpoints.forNextRequest()));
  }

  @Test
  void thePeerUrlsAskedNextAreTheOnesTheMembersListNow() throws Exception {
    HttpServer replacement = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    replacement.createContext("/members", exchange -> {
      byte[] body = ("[" + member(URI.create("http://127.0.0.1:" + exchange.getLocalAddress().getPort()), 2002)
          + "]").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    replacement.start();
    try {
      URI replacementUrl = URI.create("http://127.0.0.1:" + replacement.getAddress().getPort());
      // the first member lists a second one; then the first stops answering sensibly
      members.set("[" + member(2001) + "," + member(replacementUrl, 2002) + "]");
      ProxyEndpoints endpoints = new ProxyEndpoints(List.of(peerUrl()), 60_000, 1_000, changed::set);
      endpoints.refresh();
      assertEquals(List.of(peerUrl(), replacementUrl), changed.get(), "the cluster file gets the new set");
      members.set("not json");
      endpoints.refresh();
      assertEquals(List.of(2002), ports(endpoints.forNextRequest()), "found through the second member");
      assertEquals(List.of(replacementUrl), changed.get());
    } finally {
      replacement.stop(0);
    }
  }

  @Test
  void aFailureIsForgivenAfterTheFailureWait() {
    members.set("[" + member(1001) + "]");
    ProxyEndpoints endpoints = new ProxyEndpoints(List.of(peerUrl()), 0, 1_000, changed::set);
    endpoints.refresh();
    endpoints.failed(local(1001));
    assertEquals(List.of(1001), ports(endpoints.forNextRequest()));
  }

  /**
   * As etcd's proxy (its peer transport keeps no idle connection while a write timeout is set, as
   * by default): the member list is asked for on a connection closed once answered. A connection
   * kept open counted against the member's peer port budget for good, one per proxy: a fleet of
   * proxies filled it, and a restarted member's own connection to that peer waited in the backlog.
   */
  @Test
  void theConnectionThatAskedForTheMembersIsClosed() throws Exception {
    try (ServerSocket keepingPeer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      ProxyEndpoints endpoints = new ProxyEndpoints(
          List.of(URI.create("http://127.0.0.1:" + keepingPeer.getLocalPort())), 60_000, 1_000,
          changed::set);
      Thread refresh = new Thread(endpoints::refresh);
      refresh.start();
      try (Socket asked = keepingPeer.accept()) {
        asked.setSoTimeout(3_000);
        InputStream in = asked.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
          int b = in.read();
          assertTrue(b >= 0, "the request's head: " + head);
          head.append((char) b);
        }
        byte[] body = ("[" + member(1001) + "]").getBytes(StandardCharsets.UTF_8);
        // answered as our peer port and etcd's answer it: kept open unless the request says close
        asked.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        asked.getOutputStream().write(body);
        asked.getOutputStream().flush();
        refresh.join(5_000);
        assertEquals(List.of(1001), ports(endpoints.forNextRequest()));
        if (head.toString().toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n")) {
          return; // the peer closes it now, as Go's server and ours do
        }
        try {
          assertEquals(-1, in.read(), "the proxy closed the connection");
        } catch (SocketTimeoutException kept) {
          fail("the proxy keeps the connection to the peer port open after the member list");
        }
      }
    }
  }

  private static List<Integer> ports(List<ProxyEndpoints.Endpoint> endpoints) {
    return endpoints.stream().map(e -> e.address().getPort()).toList();
  }

  private static ProxyEndpoints.Endpoint local(int port) {
    return new ProxyEndpoints.Endpoint(new InetSocketAddress("127.0.0.1", port), "127.0.0.1", false);
  }
}
