package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.v2store.http.Member;
import io.v2store.raft.transport.PeerEvents;
import io.v2store.raft.transport.PeerTransport;
import io.v2store.raft.transport.TransportConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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

  /**
   * A member removed while it was down, back after the others restarted from a snapshot holding
   * its removal: the removal was applied at the restore, before there was a transport, and the
   * transport accepted the removed member as a peer. It was never told, and ran on apart from
   * the cluster (etcd answers it 410 Gone, and it stops).
   */
  @Test
  void aMemberRemovedBeforeTheTransportIsAttachedIsToldSo() throws Exception {
    transport.start();
    PeerLinks links = new PeerLinks("m1", 1, () -> { });
    links.attach(transport, List.of(), Set.of(3L));
    BlockingQueue<Long> removedBy = new LinkedBlockingQueue<>();
    PeerTransport removed = new PeerTransport(0xc1, 3, new InetSocketAddress("127.0.0.1", 0),
        m -> { }, new PeerEvents() {
          @Override
          public void unreachable(long peerId) {}

          @Override
          public void removedFromCluster(long peerId) {
            removedBy.add(peerId);
          }
        }, TransportConfig.defaults());
    try {
      removed.start();
      removed.addPeer(1, List.of(URI.create("http://127.0.0.1:" + transport.localAddress().getPort())));
      assertEquals(1L, removedBy.poll(20, TimeUnit.SECONDS), "told it was removed by member 1");
    } finally {
      removed.close();
    }
  }
}
