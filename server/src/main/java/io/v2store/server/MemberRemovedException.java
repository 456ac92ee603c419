package io.v2store.server;

/**
 * This member was removed from the cluster: it applied its own removal, a peer refused it as
 * removed, or its data dir records the removal. Not a failure: like etcd, the process says so and
 * exits with status 0, so that a supervisor restarting on failure leaves it stopped (a restart
 * could only end the same way). The data dir must not be reused.
 */
final class MemberRemovedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  MemberRemovedException(String name) {
    super(name + ": the member has been permanently removed from the cluster");
  }
}
