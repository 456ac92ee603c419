package io.v2store.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in for a member's peer port that answers a proxy's /members with one member "m" whose
 * client URL is on the port clientPort gives at each request.
 */
final class MembersStub {
  /** The member's client port, asked at each request. */
  interface ClientPort {
    int get() throws IOException;
  }

  private MembersStub() {}

  static HttpServer start(ClientPort clientPort) throws IOException {
    HttpServer peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    peer.createContext("/members", exchange -> {
      byte[] body = ("[{\"id\":1,\"peerURLs\":[\"http://127.0.0.1:" + peer.getAddress().getPort()
          + "\"],\"name\":\"m\",\"clientURLs\":[\"http://127.0.0.1:" + clientPort.get()
          + "\"]}]").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    peer.start();
    return peer;
  }
}
