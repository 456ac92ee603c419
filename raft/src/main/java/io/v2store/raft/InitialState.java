package io.v2store.raft;

import io.v2store.raft.pb.ConfState;
import io.v2store.raft.pb.HardState;

/** What the core needs from disk to resume: its term, vote and commit, and who the voters are. */
public record InitialState(HardState hardState, ConfState confState) {}
