package io.v2store.server;

import java.util.List;

/**
 * What DNS discovery asks of DNS: a service's SRV records and a host's address. An interface so
 * that how the initial cluster is assembled from the records can be tested without a name server.
 */
interface SrvResolver {

  /** One SRV record; {@code target} as DNS gives it, with its trailing dot. */
  record Srv(int priority, int weight, int port, String target) {}

  /** A failed lookup, in Go's words ("lookup _etcd-server._tcp.example.com on 10.0.0.2:53: no such host"). */
  final class LookupException extends Exception {
    private static final long serialVersionUID = 1L;

    LookupException(String message) {
      super(message, null, false, false);
    }
  }

  /** The records of {@code _<service>._tcp.<domain>}, lowest priority first (RFC 2782). */
  List<Srv> srv(String service, String domain) throws LookupException;

  /** host:port resolved as Go's ResolveTCPAddr prints it ("10.0.1.10:2380", "[::1]:2380"). */
  String tcpAddress(String host, int port) throws LookupException;
}
