package io.v2store.storage.store;

/**
 * A node's deadline. seq (the index of the write that set the deadline) breaks ties between
 * equal deadlines so that every replica expires nodes in the same order.
 */
record Expiry(long deadlineNanos, long seq, Node node) {}
