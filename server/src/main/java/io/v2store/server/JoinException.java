package io.v2store.server;

/**
 * A member started with --initial-cluster-state existing cannot join: no member named in
 * --initial-cluster answers, or the cluster has no member with this one's peer URLs (it was not
 * added first, or with other URLs). An operator's mistake, reported in one line as etcd does.
 */
final class JoinException extends Exception {
  private static final long serialVersionUID = 1L;

  JoinException(String message) {
    super(message, null, false, false);
  }
}
