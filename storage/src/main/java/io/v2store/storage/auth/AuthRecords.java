package io.v2store.storage.auth;

import io.v2store.storage.pb.V2Request;
import io.v2store.storage.store.EtcdError;
import io.v2store.storage.store.EtcdException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replicated records of v2 auth, as etcd keeps them under its store's "/2": whether auth is
 * on, and each user and role as the JSON etcd stores. They are data only; what a record means
 * (passwords, permissions, the rules of grant and revoke) is the HTTP layer's, which proposes
 * whole records with the conditions etcd's store would check (prevExist, prevValue).
 *
 * <p>Written by the apply thread only, read by any thread: every change publishes a new
 * immutable {@link State}, so a reader sees one consistent version and can cache what it parsed
 * from it by identity. Auth changes are rare; the copy per change costs nothing that matters.
 */
public final class AuthRecords {
  public static final String ENABLED = "/enabled";
  public static final String USERS = "/users/";
  public static final String ROLES = "/roles/";

  private volatile State state = State.EMPTY;

  /** One version of the records: immutable, sorted by name. */
  public record State(boolean enabled, Map<String, String> users, Map<String, String> roles) {
    static final State EMPTY = new State(false, Map.of(), Map.of());
  }

  public State state() {
    return state;
  }

  /**
   * Applies an AUTH_PUT or AUTH_DELETE. Refusals are those of etcd's store for the same
   * conditions (100 not found, 105 exists, 101 compare failed); the state is then unchanged.
   */
  public void apply(V2Request request) {
    String path = request.getPath();
    State s = state;
    String current = current(s, path);
    boolean delete = request.getMethod() == V2Request.Method.AUTH_DELETE;
    if (delete || (request.hasPrevExist() && request.getPrevExist())) {
      if (current == null) throw refused(EtcdError.KEY_NOT_FOUND, path);
    }
    if (request.hasPrevExist() && !request.getPrevExist() && current != null) {
      throw refused(EtcdError.NODE_EXIST, path);
    }
    if (request.hasPrevValue() && !request.getPrevValue().equals(current)) {
      throw refused(EtcdError.TEST_FAILED, path);
    }
    state = with(s, path, delete ? null : request.getValue());
  }

  private static String current(State s, String path) {
    if (path.equals(ENABLED)) return s.enabled() ? "true" : "false";
    if (path.startsWith(USERS)) return s.users().get(name(path, USERS));
    if (path.startsWith(ROLES)) return s.roles().get(name(path, ROLES));
    throw refused(EtcdError.KEY_NOT_FOUND, path);
  }

  private static State with(State s, String path, String value) {
    if (path.equals(ENABLED)) {
      if (value == null) throw refused(EtcdError.ROOT_READ_ONLY, path);
      return new State(value.equals("true"), s.users(), s.roles());
    }
    if (path.startsWith(USERS)) {
      return new State(s.enabled(), changed(s.users(), name(path, USERS), value), s.roles());
    }
    return new State(s.enabled(), s.users(), changed(s.roles(), name(path, ROLES), value));
  }

  private static Map<String, String> changed(Map<String, String> old, String name, String value) {
    TreeMap<String, String> copy = new TreeMap<>(old);
    if (value == null) {
      copy.remove(name);
    } else {
      copy.put(name, value);
    }
    return Collections.unmodifiableMap(copy);
  }

  private static String name(String path, String prefix) {
    String name = path.substring(prefix.length());
    if (name.isEmpty() || name.indexOf('/') >= 0) throw refused(EtcdError.KEY_NOT_FOUND, path);
    return name;
  }

  private static EtcdException refused(EtcdError error, String path) {
    return new EtcdException(error, "/2" + path, 0);
  }

  /** Snapshot section: the flag, then users and roles as (name, JSON) pairs. */
  public void write(DataOutputStream out) throws IOException {
    State s = state;
    out.writeBoolean(s.enabled());
    writeMap(out, s.users());
    writeMap(out, s.roles());
  }

  public void read(DataInputStream in) throws IOException {
    boolean enabled = in.readBoolean();
    Map<String, String> users = readMap(in);
    Map<String, String> roles = readMap(in);
    state = new State(enabled, users, roles);
  }

  /** A snapshot from before auth existed: no records. */
  public void clear() {
    state = State.EMPTY;
  }

  private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
    out.writeInt(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      writeString(out, e.getKey());
      writeString(out, e.getValue());
    }
  }

  private static Map<String, String> readMap(DataInputStream in) throws IOException {
    TreeMap<String, String> map = new TreeMap<>();
    for (int n = in.readInt(); n > 0; n--) map.put(readString(in), readString(in));
    return Collections.unmodifiableMap(map);
  }

  // Not writeUTF: a record is not bounded by its 64 KiB limit.
  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }
}
