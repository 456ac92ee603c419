package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import io.v2store.http.Member;
import io.v2store.raft.transport.PeerEvents;
import io.v2store.raft.transport.PeerTransport;
import io.v2store.raft.transport.TransportConfig;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Membership changes are applied on every member from the committed log: one whose peer URLs the
 * transport cannot dial (unix://, which etcd accepts; a URL committed before the API refused it)
 * must not throw there. It did, and stopped the apply loop of every member that read it.
 */
class PeerLinksTest {
  private final PeerTransport transport = new PeerTransport(0xc1, 1,
      new InetSocketAddress("127.0.0.1", 0), m -> { }, PeerEvents.of(id -> { }),
      TransportConfig.defaults());

  @AfterEach
  void close() {
    transport.close();
  }

  @Test
  void aPeerWithUndialableUrlsIsLeftUnreachableNotFatal() {
    transport.start();
    PeerLinks links = new PeerLinks("m1", 1, () -> { });
    links.attach(transport, List.of());
    for (String url : List.of("unix://x:1", "http://h:", "http://h:99999", "http://a<b:1")) {
      Member member = new Member(2, "m2", List.of(url), List.of());
      assertDoesNotThrow(() -> links.added(member), url);
      assertDoesNotThrow(() -> links.updated(member), url);
    }
  }
}
