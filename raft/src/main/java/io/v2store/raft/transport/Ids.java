package io.v2store.raft.transport;

/** Member and cluster ids are printed in hex, as etcd prints them. */
final class Ids {
  private Ids() {}

  static String hex(long id) {
    return Long.toHexString(id);
  }
}
