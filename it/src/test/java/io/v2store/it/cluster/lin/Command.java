// Copied from raft/src/test/java/io/v2store/raft/lin/Command.java (keep the two in step): the it
// module cannot see raft's test classes without a test-jar dependency in its pom.
package io.v2store.it.cluster.lin;

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
