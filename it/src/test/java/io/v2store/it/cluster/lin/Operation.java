// Copied from raft/src/test/java/io/v2store/raft/lin/Operation.java (keep the two in step): the it
// module cannot see raft's test classes without a test-jar dependency in its pom.
package io.v2store.it.cluster.lin;

/**
 * One client operation on one key with its real-time interval. An operation whose outcome is
 * {@link Outcome.Unknown} never completes: its interval is open to the end of time.
 *
 * @param client who issued it (a client has at most one operation in flight)
 * @param invokedAt when the request was sent, on a clock shared by all clients
 * @param completedAt when the answer arrived; {@link Long#MAX_VALUE} for an unknown outcome
 */
public record Operation(int client, String key, Command command, Outcome outcome, long invokedAt,
    long completedAt) {

  public Operation {
    if (outcome instanceof Outcome.Unknown) completedAt = Long.MAX_VALUE;
    if (completedAt < invokedAt) {
      throw new IllegalArgumentException("completes before it starts: " + invokedAt + ">" + completedAt);
    }
    boolean isRead = command instanceof Command.Get;
    if (isRead && !(outcome instanceof Outcome.Read || outcome instanceof Outcome.Unknown)) {
      throw new IllegalArgumentException("a get answers with a Read: " + outcome);
    }
    if (!isRead && outcome instanceof Outcome.Read) {
      throw new IllegalArgumentException("only a get answers with a Read: " + command);
    }
    if (command instanceof Command.Set && outcome instanceof Outcome.Failed) {
      throw new IllegalArgumentException("a set cannot fail without effect and be recorded");
    }
  }

  public boolean indeterminate() {
    return outcome instanceof Outcome.Unknown;
  }

  @Override
  public String toString() {
    String end = indeterminate() ? "?" : Long.toString(completedAt);
    return "c" + client + " [" + invokedAt + "," + end + "] " + key + " " + command + " -> " + outcome;
  }
}
