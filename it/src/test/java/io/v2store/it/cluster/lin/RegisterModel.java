// Copied from raft/src/test/java/io/v2store/raft/lin/RegisterModel.java (keep the two in step): the it
// module cannot see raft's test classes without a test-jar dependency in its pom.
package io.v2store.it.cluster.lin;

import java.util.Objects;

/**
 * The sequential specification of one key: a register that is absent (null) or holds a string.
 * Given a state and an operation, says whether the operation's outcome is possible there and what
 * the state becomes.
 */
public final class RegisterModel {
  /** The result of one step: illegal, or legal with the state after it. */
  public record Next(boolean legal, String state) {
    static final Next ILLEGAL = new Next(false, null);
  }

  private RegisterModel() {}

  public static Next step(String state, Operation op) {
    Outcome out = op.outcome();
    boolean unknown = out instanceof Outcome.Unknown;
    Command command = op.command();
    if (command instanceof Command.Set s) return new Next(true, s.value());
    if (command instanceof Command.Cas c) {
      boolean holds = state != null && state.equals(c.expected());
      if (unknown) return new Next(true, holds ? c.value() : state);
      if (out instanceof Outcome.Ok) return holds ? new Next(true, c.value()) : Next.ILLEGAL;
      return holds ? Next.ILLEGAL : new Next(true, state);
    }
    if (command instanceof Command.Delete) {
      if (unknown) return new Next(true, null);
      if (out instanceof Outcome.Ok) return state != null ? new Next(true, null) : Next.ILLEGAL;
      return state == null ? new Next(true, null) : Next.ILLEGAL;
    }
    if (unknown) return new Next(true, state);
    String seen = ((Outcome.Read) out).value();
    return Objects.equals(seen, state) ? new Next(true, state) : Next.ILLEGAL;
  }
}
