package io.v2store.server;

/**
 * A member started afresh (--initial-cluster-state new, no data) whose peers say it has served
 * already: its data dir was lost or wiped. Starting it would bring back a voter that forgot its
 * log and its votes, which can elect a leader without writes it had acknowledged; etcd refuses it
 * the same way, and the way back is `member remove`, then `member add` and a join.
 */
final class MemberBootstrappedException extends Exception {
  private static final long serialVersionUID = 1L;

  MemberBootstrappedException(long memberId) {
    super("member " + Long.toHexString(memberId) + " has already been bootstrapped", null, false,
        false);
  }
}
