package io.v2store.raft;

/** A read-only view of the core for stats and health: cheap to build on every request. */
public record RaftStatus(long id, long term, long leaderId, Role role, long commitIndex,
    long appliedIndex, long lastIndex) {}
