package io.v2store.raft.sim;

import io.v2store.raft.lin.Command;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A client write as a log entry: the client's operation id (so a proposal the network duplicated
 * is applied once) and the command on one key.
 */
record KvCommand(long opId, String key, Command command) {
  private static final byte SET = 1;
  private static final byte CAS = 2;
  private static final byte DELETE = 3;

  byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(opId);
      out.writeUTF(key);
      if (command instanceof Command.Set s) {
        out.writeByte(SET);
        out.writeUTF(s.value());
      } else if (command instanceof Command.Cas c) {
        out.writeByte(CAS);
        out.writeUTF(c.expected());
        out.writeUTF(c.value());
      } else if (command instanceof Command.Delete) {
        out.writeByte(DELETE);
      } else {
        throw new IllegalArgumentException("reads are not logged: " + command);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static KvCommand decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data))) {
      long opId = in.readLong();
      String key = in.readUTF();
      byte type = in.readByte();
      Command c = switch (type) {
        case SET -> new Command.Set(in.readUTF());
        case CAS -> new Command.Cas(in.readUTF(), in.readUTF());
        case DELETE -> new Command.Delete();
        default -> throw new IllegalArgumentException("unknown command type " + type);
      };
      return new KvCommand(opId, key, c);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
