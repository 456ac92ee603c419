package io.v2store.raft.driver;

/**
 * The core refused a proposal (no leader known, a leadership transfer under way, or the driver is
 * stopping). The write certainly did not happen, unlike a timeout, which is indeterminate.
 */
public final class ProposalDroppedException extends RuntimeException {
  public ProposalDroppedException(String reason) {
    super(reason, null, false, false);
  }
}
