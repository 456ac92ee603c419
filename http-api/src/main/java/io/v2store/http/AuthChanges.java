package io.v2store.http;

import io.v2store.http.AuthModel.Permissions;
import io.v2store.http.AuthModel.Role;
import io.v2store.http.AuthModel.User;
import io.v2store.storage.auth.AuthRecords;
import io.v2store.storage.pb.V2Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * etcd's v2 auth store rules for changes: what a create, update or delete of a user or role, or
 * turning auth on or off, writes, and the refusals etcd gives (its status and "auth: ..." text).
 * Each change is planned against one view and written conditioned on the records it read
 * (prevValue, prevExist), so two changes racing cannot both win; etcd read and wrote without
 * that condition and could lose one of them.
 */
final class AuthChanges {
  private final Passwords passwords;

  AuthChanges(Passwords passwords) {
    this.passwords = passwords;
  }

  /** A refusal: etcd's status and message. */
  static final class Refused extends RuntimeException {
    final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** The writes to make, in order, then the answer (body null: none). */
  record Plan(List<V2Request> writes, int status, String body) {}

  private static Refused refused(int status, String message) {
    return new Refused(status, "auth: " + message);
  }

  // ---- users

  /** PUT /v2/auth/users/<name>, in etcd's three cases. Runs bcrypt: call on the worker. */
  Plan putUser(AuthView view, User in) {
    boolean changeRequest = nonEmpty(in.grant()) || nonEmpty(in.revoke());
    if (changeRequest && nonEmpty(in.roles())) {
      throw new Refused(400, "User JSON contains both roles and grant/revoke");
    }
    if (!changeRequest && nonEmpty(in.roles())) {
      return answer(createUser(view, in), 200);
    }
    if (!changeRequest && view.user(in.user()) == null) {
      return answer(createUser(view, in), 201);
    }
    return answer(updateUser(view, in), 200);
  }

  private Change createUser(AuthView view, User in) {
    User user = in;
    if (user.user().equals(AuthView.ROOT)) user = withRootRole(user);
    if (user.password().isEmpty()) {
      throw refused(400, "Cannot create user " + user.user() + " with an empty password");
    }
    if (view.user(user.user()) != null) {
      throw refused(409, "User " + user.user() + " already exists.");
    }
    user = user.withPassword(passwords.hash(user.password()));
    return new Change(put(AuthRecords.USERS + user.user(), AuthModel.userJson(user), false, null),
        user);
  }

  private Change updateUser(AuthView view, User in) {
    User old = view.user(in.user());
    // etcd's lookup answers before its own "doesn't exist." could
    if (old == null) throw refused(404, "User " + in.user() + " does not exist.");
    String password = in.password().isEmpty() ? old.password() : passwords.hash(in.password());
    TreeSet<String> roles = old.roles() == null ? new TreeSet<>() : new TreeSet<>(old.roles());
    for (String g : orEmpty(in.grant())) {
      if (!roles.add(g)) {
        throw refused(409, "Granting duplicate role " + g + " for user " + in.user());
      }
    }
    for (String r : orEmpty(in.revoke())) {
      if (!roles.remove(r)) {
        throw refused(409, "Revoking ungranted role " + r + " for user " + in.user());
      }
    }
    User merged = new User(old.user(), password, List.copyOf(roles), null, null);
    if (merged.equals(old)) {
      throw refused(400, "User not updated. Use grant/revoke/password to update the user.");
    }
    String stored = view.storedUser(in.user());
    return new Change(put(AuthRecords.USERS + in.user(), AuthModel.userJson(merged), null,
        stored), merged);
  }

  Plan deleteUser(AuthView view, String name) {
    if (view.enabled() && name.equals(AuthView.ROOT)) {
      throw refused(403, "Cannot delete root user while auth is enabled.");
    }
    String stored = view.storedUser(name);
    if (stored == null) throw refused(404, "User " + name + " does not exist");
    return new Plan(List.of(delete(AuthRecords.USERS + name, stored)), 200, null);
  }

  private record Change(V2Request write, User user) {}

  private static Plan answer(Change change, int status) {
    User shown = change.user().withPassword("");
    return new Plan(List.of(change.write()), status, AuthModel.userJson(shown) + "\n");
  }

  private static User withRootRole(User u) {
    if (u.roles() != null && u.roles().contains(AuthView.ROOT)) return u;
    List<String> roles = u.roles() == null ? new ArrayList<>() : new ArrayList<>(u.roles());
    roles.add(AuthView.ROOT);
    return new User(u.user(), u.password(), List.copyOf(roles), u.grant(), u.revoke());
  }

  // ---- roles

  /** PUT /v2/auth/roles/<name>: create, or grant/revoke. */
  Plan putRole(AuthView view, Role in) {
    boolean create = isEmpty(in.grant()) && isEmpty(in.revoke());
    if (!create && !in.permissions().isEmpty()) {
      throw new Refused(400, "Role JSON contains both permissions and grant/revoke");
    }
    if (in.role().equals(AuthView.ROOT)) {
      throw refused(403, "Cannot modify role " + in.role() + ": is root role.");
    }
    if (create) {
      if (view.role(in.role()) != null) {
        throw refused(409, "Role " + in.role() + " already exists.");
      }
      String json = AuthModel.roleJson(in);
      return new Plan(List.of(put(AuthRecords.ROLES + in.role(), json, false, null)), 201,
          json + "\n");
    }
    Role old = view.role(in.role());
    if (old == null) throw refused(404, "Role " + in.role() + " does not exist.");
    Permissions granted = grant(old.permissions(), in.grant());
    Role merged = new Role(old.role(), revoke(granted, in.revoke()), null, null);
    if (merged.equals(old)) {
      throw refused(400, "Role not updated. Use grant/revoke to update the role.");
    }
    String json = AuthModel.roleJson(merged);
    return new Plan(List.of(put(AuthRecords.ROLES + in.role(), json, null,
        view.storedRole(in.role()))), 200, json + "\n");
  }

  Plan deleteRole(AuthView view, String name) {
    if (name.equals(AuthView.ROOT)) {
      throw refused(403, "Cannot modify role " + name + ": is root role.");
    }
    String stored = view.storedRole(name);
    if (stored == null) throw refused(404, "Role " + name + " doesn't exist.");
    return new Plan(List.of(delete(AuthRecords.ROLES + name, stored)), 200, null);
  }

  private static Permissions grant(Permissions p, Permissions n) {
    if (n == null) return p;
    return new Permissions(added(p.read(), n.read(), "read"), added(p.write(), n.write(), "write"));
  }

  private static List<String> added(List<String> have, List<String> more, String kind) {
    TreeSet<String> set = new TreeSet<>(orEmpty(have));
    for (String m : orEmpty(more)) {
      if (!set.add(m)) throw refused(409, "Granting duplicate " + kind + " permission " + m);
    }
    return List.copyOf(set);
  }

  /** Revoking what was never granted is not an error in etcd: it is skipped. */
  private static Permissions revoke(Permissions p, Permissions n) {
    if (n == null) return p;
    TreeSet<String> read = new TreeSet<>(orEmpty(p.read()));
    orEmpty(n.read()).forEach(read::remove);
    TreeSet<String> write = new TreeSet<>(orEmpty(p.write()));
    orEmpty(n.write()).forEach(write::remove);
    return new Permissions(List.copyOf(read), List.copyOf(write));
  }

  // ---- on and off

  /** PUT /v2/auth/enable: needs the root user; makes the guest role (all access) if missing. */
  Plan enable(AuthView view) {
    if (view.enabled()) throw refused(409, "already enabled");
    if (view.user(AuthView.ROOT) == null) {
      throw refused(409, "No root user available, please create one");
    }
    List<V2Request> writes = new ArrayList<>();
    if (view.role(AuthView.GUEST) == null) {
      writes.add(put(AuthRecords.ROLES + AuthView.GUEST,
          AuthModel.roleJson(new Role(AuthView.GUEST, Permissions.ALL, null, null)), false, null));
    }
    writes.add(put(AuthRecords.ENABLED, "true", null, "false"));
    return new Plan(writes, 200, null);
  }

  Plan disable(AuthView view) {
    if (!view.enabled()) throw refused(409, "already disabled");
    return new Plan(List.of(put(AuthRecords.ENABLED, "false", null, "true")), 200, null);
  }

  // ---- helpers

  private static V2Request put(String path, String value, Boolean prevExist, String prevValue) {
    V2Request.Builder b = V2Request.newBuilder().setMethod(V2Request.Method.AUTH_PUT)
        .setPath(path).setValue(value);
    if (prevExist != null) b.setPrevExist(prevExist);
    if (prevValue != null) b.setPrevValue(prevValue);
    return b.build();
  }

  private static V2Request delete(String path, String prevValue) {
    return V2Request.newBuilder().setMethod(V2Request.Method.AUTH_DELETE).setPath(path)
        .setPrevValue(Objects.requireNonNull(prevValue)).build();
  }

  private static boolean nonEmpty(List<String> l) {
    return l != null && !l.isEmpty();
  }

  private static boolean isEmpty(Permissions p) {
    return p == null || p.isEmpty();
  }

  private static List<String> orEmpty(List<String> l) {
    return l == null ? List.of() : l;
  }
}
