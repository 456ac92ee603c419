package io.v2store.raft.core;

enum CampaignType {
  /** Pre-vote: ask whether we could win before disturbing anyone's term. */
  PRE_ELECTION,
  ELECTION,
  /** Forced by the leader's MSG_TIMEOUT_NOW: voters ignore their leader lease. */
  TRANSFER
}
