package io.v2store.server;

import io.v2store.http.Member;
import io.v2store.raft.transport.PeerTransport;
import java.net.URI;
import java.util.List;
import java.util.logging.Logger;

/** Keeps the peer transport's connections in step with the committed member list. */
final class PeerLinks implements MembershipListener {
  private static final Logger LOG = Logger.getLogger("etcd");

  private final String name;
  private final long selfId;
  private final Runnable onSelfRemoved;
  private volatile PeerTransport transport;

  PeerLinks(String name, long selfId, Runnable onSelfRemoved) {
    this.name = name;
    this.selfId = selfId;
    this.onSelfRemoved = onSelfRemoved;
  }

  void attach(PeerTransport transport, List<Member> members) {
    attach(transport, members, java.util.Set.of());
  }

  /**
   * As above, refusing the members removed so far (the restored snapshot's): a removal applied
   * before there was a transport (restoring the snapshot at start) reached no transport, and a
   * member removed while it was down that came back after the others restarted was accepted as
   * a peer, never told it was removed, and ran on apart from the cluster. etcd keeps its removed
   * members in its store and answers them 410 Gone at every start.
   */
  void attach(PeerTransport transport, List<Member> members, java.util.Set<Long> removed) {
    this.transport = transport;
    for (long id : removed) {
      if (id != selfId) transport.removePeer(id);
    }
    for (Member m : members) added(m);
  }

  @Override
  public void added(Member member) {
    if (member.id() == selfId || transport == null) return;
    try {
      transport.addPeer(member.id(), uris(member.peerUrls()));
    } catch (IllegalArgumentException undialable) {
      // A committed change must apply on every member alike, whatever it holds: throwing here
      // stopped the apply loop, and every member (again at each restart, replaying the entry).
      // The API refuses such URLs now; an entry written before that is only a peer we cannot
      // reach until its URLs are updated.
      LOG.warning(() -> name + ": cannot dial peer " + Long.toHexString(member.id()) + " at "
          + member.peerUrls() + " (" + undialable.getMessage() + "); update its peer URLs");
      return;
    }
    LOG.info(() -> name + ": peer " + Long.toHexString(member.id()) + " at "
        + member.peerUrls());
  }

  @Override
  public void updated(Member member) {
    added(member); // addPeer reconnects to the new URLs
  }

  @Override
  public void removed(long id) {
    if (id == selfId) {
      onSelfRemoved.run();
      return;
    }
    if (transport != null) transport.removePeer(id);
    LOG.info(() -> name + ": peer " + Long.toHexString(id) + " removed");
  }

  private static List<URI> uris(List<String> urls) {
    return urls.stream().map(URI::create).toList();
  }
}
