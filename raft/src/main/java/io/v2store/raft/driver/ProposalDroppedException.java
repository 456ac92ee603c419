package io.v2store.raft.driver;

/**
 * The core refused a proposal (no leader known, a leadership transfer under way, or the driver is
 * stopping). The write certainly did not happen, unlike a timeout, which is indeterminate. Reads
 * end with it too, when the leader that was to confirm them is gone ({@link #leaderChanged()}).
 */
public final class ProposalDroppedException extends RuntimeException {
  private final boolean leaderChanged;

  public ProposalDroppedException(String reason) {
    this(reason, false);
  }

  private ProposalDroppedException(String reason, boolean leaderChanged) {
    super(reason, null, false, false);
    this.leaderChanged = leaderChanged;
  }

  /** For what was in flight to a leader that is no longer this member's leader. */
  static ProposalDroppedException onLeaderChange() {
    return new ProposalDroppedException("leader changed", true);
  }

  /** Whether it ended with a change of leader: a read may go again, to the new one. */
  public boolean leaderChanged() {
    return leaderChanged;
  }
}
