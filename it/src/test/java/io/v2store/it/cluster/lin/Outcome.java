// Copied from raft/src/test/java/io/v2store/raft/lin/Outcome.java (keep the two in step): the it
// module cannot see raft's test classes without a test-jar dependency in its pom.
package io.v2store.it.cluster.lin;

/** What the client learnt about its command. */
public sealed interface Outcome {
  /** The write took effect (set, a CAS whose comparison held, a delete of a present key). */
  record Ok() implements Outcome {}

  /** The command definitely took no effect: a CAS whose comparison failed, a delete of nothing. */
  record Failed() implements Outcome {}

  /** A read's answer; {@code value} is null when the key was absent. */
  record Read(String value) implements Outcome {}

  /**
   * No answer (timeout, connection lost): the command may or may not have taken effect, at any
   * moment after its invocation. Jepsen records these as {@code info}.
   */
  record Unknown() implements Outcome {}

  Ok OK = new Ok();
  Failed FAILED = new Failed();
  Unknown UNKNOWN = new Unknown();
}
