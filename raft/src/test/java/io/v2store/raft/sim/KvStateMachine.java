package io.v2store.raft.sim;

import io.v2store.raft.lin.Command;
import io.v2store.raft.lin.Outcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tiny replicated key-value store of the simulation. Applying the same entries in the same
 * order gives the same map on every member; {@link #hash()} summarizes it for the safety checker.
 */
final class KvStateMachine {
  private final TreeMap<String, String> values = new TreeMap<>();
  /** Operation ids already applied: a duplicated proposal must not take effect twice. */
  private final Set<Long> appliedOps = new HashSet<>();
  long appliedIndex;
  private long hash;

  /** Applies one logged command; returns its outcome, or null for a duplicate (no effect). */
  Outcome apply(long index, KvCommand kc) {
    appliedIndex = index;
    if (!appliedOps.add(kc.opId())) {
      mix(index);
      return null;
    }
    String now = values.get(kc.key());
    Outcome outcome;
    if (kc.command() instanceof Command.Set s) {
      values.put(kc.key(), s.value());
      outcome = Outcome.OK;
    } else if (kc.command() instanceof Command.Cas c) {
      boolean holds = c.expected().equals(now);
      if (holds) values.put(kc.key(), c.value());
      outcome = holds ? Outcome.OK : Outcome.FAILED;
    } else {
      outcome = values.remove(kc.key()) != null ? Outcome.OK : Outcome.FAILED;
    }
    mix(index ^ kc.opId() * 31 ^ String.valueOf(values.get(kc.key())).hashCode());
    return outcome;
  }

  /** An entry with no command (the leader's empty entry, a configuration change). */
  void skip(long index) {
    appliedIndex = index;
    mix(index);
  }

  private void mix(long x) {
    hash = (hash ^ x) * 0x100000001B3L + 17;
  }

  String get(String key) {
    return values.get(key);
  }

  Map<String, String> view() {
    return Map.copyOf(values);
  }

  long hash() {
    return hash;
  }

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(appliedIndex);
      out.writeLong(hash);
      out.writeInt(values.size());
      for (Map.Entry<String, String> e : values.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue());
      }
      out.writeInt(appliedOps.size());
      for (long op : appliedOps) out.writeLong(op);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  void restore(byte[] data) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      values.clear();
      appliedOps.clear();
      appliedIndex = in.readLong();
      hash = in.readLong();
      for (int n = in.readInt(); n > 0; n--) values.put(in.readUTF(), in.readUTF());
      for (int n = in.readInt(); n > 0; n--) appliedOps.add(in.readLong());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
