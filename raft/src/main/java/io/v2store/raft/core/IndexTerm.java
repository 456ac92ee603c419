package io.v2store.raft.core;

/** A log position: an index and the term of the entry there (0 when unknown). */
record IndexTerm(long index, long term) {}
