package io.v2store.raft;

/** Volatile state worth reporting when it changes: who leads (0 = nobody known) and our role. */
public record SoftState(long leaderId, Role role) {}
