package io.v2store.server;

import io.v2store.server.config.InitialCluster;
import io.v2store.server.config.SrvDomain;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The initial cluster of --discovery-srv, from the domain's SRV records: {@code
 * _etcd-server-ssl._tcp.<domain>} gives https peer URLs, {@code _etcd-server._tcp.<domain>} http
 * ones. A record whose target resolves to one of this member's advertised peer addresses is this
 * member; the others get the placeholder names "0", "1", ... until they publish their own (ids
 * come from peer URLs and the token, never from names, so the members still agree on every id).
 *
 * <p>etcd 3.4 means to combine both record sets, but drops the http set when it is found and
 * fails the start when the https set is missing, so a domain with only {@code _etcd-server._tcp}
 * records (every CoreOS-era guide's example) bootstraps nothing. Here the sets are combined as
 * its documentation says, and the start fails only when neither gives a member.
 */
final class SrvCluster {
  private SrvCluster() {}

  /**
   * etcd's rule for a member of a cluster found through SRV records: when the peer URLs are
   * https and no --peer-trusted-ca-file is given, it checks its peers' certificates against the
   * domain itself (with the system's CAs), not against the hosts of their URLs, so that whoever
   * answers for the records cannot send it to a host that merely holds a certificate of its own
   * name. etcd reads the records again at every start; a member of ours with data reads none, and
   * decides by its own advertised peer URLs, which the records named when it was new.
   *
   * @param peerUrls the peer URLs the records gave, or this member's own on a restart
   * @return the domain, when the rule applies
   */
  static Optional<String> peerServerName(SrvDomain srv, Collection<URI> peerUrls,
      Optional<Path> peerTrustedCa) {
    boolean https = peerUrls.stream().anyMatch(url -> "https".equals(url.getScheme()));
    return https && peerTrustedCa.isEmpty() ? Optional.of(srv.domain()) : Optional.empty();
  }

  /**
   * @param member true for a member, which must find itself in the records; a proxy need not
   * @throws Discovery.DiscoveryException etcd's error, when no record gives a usable peer URL or
   *     this member is not among them
   */
  static Map<String, List<URI>> find(SrvResolver dns, SrvDomain srv, String name,
      List<URI> advertisePeerUrls, boolean member) throws Discovery.DiscoveryException {
    Map<String, URI> ownByAddress = new HashMap<>();
    try {
      for (URI url : advertisePeerUrls) {
        ownByAddress.put(dns.tcpAddress(url.getHost(), url.getPort()), url);
      }
    } catch (SrvResolver.LookupException e) {
      throw new Discovery.DiscoveryException("error setting up initial cluster: " + e.getMessage());
    }
    List<String> parts = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    int[] placeholder = {0};
    for (boolean tls : new boolean[] {true, false}) {
      String service = srv.service(tls);
      String error = collect(dns, srv.domain(), service, tls ? "https" : "http", name, ownByAddress,
          placeholder, parts);
      if (error != null) errors.add("error querying DNS SRV records for _" + service + " " + error);
    }
    if (parts.isEmpty()) {
      throw new Discovery.DiscoveryException("error setting up initial cluster: "
          + (errors.isEmpty() ? "no DNS SRV records for " + srv.domain() : String.join("; ", errors)));
    }
    Map<String, List<URI>> cluster;
    try {
      cluster = InitialCluster.parse(String.join(",", parts));
    } catch (IllegalArgumentException e) {
      throw new Discovery.DiscoveryException("error setting up initial cluster: " + e.getMessage());
    }
    if (member && !cluster.containsKey(name)) {
      throw new Discovery.DiscoveryException("error setting up initial cluster: cannot find local "
          + "etcd member \"" + name + "\" in SRV records"
          + (errors.isEmpty() ? "" : " (" + String.join("; ", errors) + ")"));
    }
    return cluster;
  }

  /**
   * Adds "name=scheme://target:port" for each usable record of one service; returns why the
   * service gave nothing (its lookup failed, or every record did), or null.
   */
  private static String collect(SrvResolver dns, String domain, String service, String scheme,
      String name, Map<String, URI> ownByAddress, int[] placeholder, List<String> parts) {
    List<SrvResolver.Srv> records;
    try {
      records = dns.srv(service, domain);
    } catch (SrvResolver.LookupException e) {
      return e.getMessage();
    }
    String error = null;
    int added = 0;
    for (SrvResolver.Srv record : records) {
      String host = record.target().endsWith(".")
          ? record.target().substring(0, record.target().length() - 1) : record.target();
      if (host.isEmpty()) continue; // target "." (RFC 2782): the service is not offered there
      String hostPort = (host.contains(":") ? "[" + host + "]" : host) + ":" + record.port();
      URI own;
      try {
        own = ownByAddress.get(dns.tcpAddress(host, record.port()));
      } catch (SrvResolver.LookupException e) {
        error = e.getMessage();
        continue;
      }
      if (own != null && !own.getScheme().equals(scheme)) {
        error = "bootstrap at " + scheme + "://" + hostPort + " from DNS for " + service
            + " has scheme mismatch with expected peer " + own;
        continue;
      }
      String memberName = own != null ? name : Integer.toString(placeholder[0]++);
      parts.add(memberName + "=" + scheme + "://" + hostPort);
      added++;
    }
    return added == 0 ? error : null;
  }
}
