package io.v2store.http;

import io.v2store.http.AuthModel.Permissions;
import io.v2store.http.AuthModel.Role;
import io.v2store.http.AuthModel.User;
import io.v2store.storage.auth.AuthRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One version of the auth records, parsed, with etcd's read rules: the user "root" always has
 * the role "root", and the role "root" is built in (everything, never stored).
 */
final class AuthView {
  static final String ROOT = "root";
  static final String GUEST = "guest";
  static final Role ROOT_ROLE = new Role(ROOT, Permissions.ALL, null, null);

  final AuthRecords.State records;
  private final Map<String, User> users = new TreeMap<>();
  private final Map<String, Role> roles = new TreeMap<>();

  AuthView(AuthRecords.State records) {
    this.records = records;
    records.users().forEach((name, json) -> users.put(name, AuthModel.storedUser(json)));
    records.roles().forEach((name, json) -> roles.put(name, AuthModel.storedRole(json)));
  }

  boolean enabled() {
    return records.enabled();
  }

  /** null when there is no such user. */
  User user(String name) {
    User u = users.get(name);
    if (u == null || !name.equals(ROOT) || u.roles() != null && u.roles().contains(ROOT)) {
      return u;
    }
    List<String> roles = u.roles() == null ? new ArrayList<>() : new ArrayList<>(u.roles());
    roles.add(ROOT);
    return new User(u.user(), u.password(), List.copyOf(roles), u.grant(), u.revoke());
  }

  /** null when there is no such role. */
  Role role(String name) {
    return name.equals(ROOT) ? ROOT_ROLE : roles.get(name);
  }

  /** Names, sorted. */
  List<String> userNames() {
    return List.copyOf(users.keySet());
  }

  /** Names, sorted, "root" among them. */
  List<String> roleNames() {
    TreeMap<String, Role> all = new TreeMap<>(roles);
    all.put(ROOT, ROOT_ROLE);
    return List.copyOf(all.keySet());
  }

  /** The stored JSON of a record, for a change conditioned on it (prevValue). */
  String storedUser(String name) {
    return records.users().get(name);
  }

  String storedRole(String name) {
    return records.roles().get(name);
  }

  // etcd's access rules: a pattern ending in "*" is a prefix, any other must equal the key; a
  // recursive request needs a prefix pattern (the whole subtree), whatever the key.
  static boolean hasKeyAccess(Role role, String key, boolean write, boolean recursive) {
    if (role.role().equals(ROOT)) return true;
    List<String> patterns = write ? role.permissions().write() : role.permissions().read();
    if (patterns == null) return false;
    for (String pattern : patterns) {
      if (pattern.isEmpty()) continue; // Go would index past its end and not match
      boolean prefix = pattern.endsWith("*");
      if (recursive && !prefix) continue;
      String stem = prefix ? pattern.substring(0, pattern.length() - 1) : pattern;
      if (prefix ? key.startsWith(stem) : key.equals(pattern)) return true;
    }
    return false;
  }
}
