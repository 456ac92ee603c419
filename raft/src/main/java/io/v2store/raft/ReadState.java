package io.v2store.raft;

/**
 * The answer to a ReadIndex request: once the local applied index reaches {@code index}, a read
 * issued with {@code requestContext} is linearizable.
 */
public record ReadState(long index, byte[] requestContext) {}
