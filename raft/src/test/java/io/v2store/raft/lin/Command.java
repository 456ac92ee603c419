package io.v2store.raft.lin;

/**
 * What a client asked of one key. The key itself lives on the {@link Operation}: the checker
 * splits a history by key (P-compositionality) and checks each register on its own.
 */
public sealed interface Command {
  /** Unconditional write. */
  record Set(String value) implements Command {}

  /** Compare-and-set on the value: writes {@code value} only if the key holds {@code expected}. */
  record Cas(String expected, String value) implements Command {}

  /** Removes the key; fails (without effect) when it is absent. */
  record Delete() implements Command {}

  /** A linearizable (quorum) read. Plain local reads are not linearizable and must not be fed. */
  record Get() implements Command {}
}
