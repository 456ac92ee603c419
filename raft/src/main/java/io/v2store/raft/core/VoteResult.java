package io.v2store.raft.core;

enum VoteResult {
  PENDING,
  WON,
  LOST
}
