package io.v2store.raft.lin;

import java.util.ArrayList;
import java.util.List;

/** A terse builder for hand-written histories in tests. */
final class Histories {
  private final List<Operation> ops = new ArrayList<>();

  Histories set(int client, String key, String value, long from, long to) {
    return add(client, key, new Command.Set(value), Outcome.OK, from, to);
  }

  Histories setUnknown(int client, String key, String value, long from) {
    return add(client, key, new Command.Set(value), Outcome.UNKNOWN, from, Long.MAX_VALUE);
  }

  Histories cas(int client, String key, String expected, String value, boolean ok, long from,
      long to) {
    return add(client, key, new Command.Cas(expected, value), ok ? Outcome.OK : Outcome.FAILED,
        from, to);
  }

  Histories casUnknown(int client, String key, String expected, String value, long from) {
    return add(client, key, new Command.Cas(expected, value), Outcome.UNKNOWN, from, Long.MAX_VALUE);
  }

  Histories delete(int client, String key, boolean ok, long from, long to) {
    return add(client, key, new Command.Delete(), ok ? Outcome.OK : Outcome.FAILED, from, to);
  }

  Histories deleteUnknown(int client, String key, long from) {
    return add(client, key, new Command.Delete(), Outcome.UNKNOWN, from, Long.MAX_VALUE);
  }

  Histories get(int client, String key, String seen, long from, long to) {
    return add(client, key, new Command.Get(), new Outcome.Read(seen), from, to);
  }

  private Histories add(int client, String key, Command c, Outcome o, long from, long to) {
    ops.add(new Operation(client, key, c, o, from, to));
    return this;
  }

  List<Operation> build() {
    return List.copyOf(ops);
  }
}
