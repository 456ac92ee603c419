package io.v2store.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The v2 auth documents (users and roles) as etcd's JSON has them, read and written the way Go's
 * encoding/json does: a list may be absent (null, Go's nil) or empty, and the two are told apart
 * in what is stored and shown ("write":null against "write":[]), as etcd's clients see them.
 */
final class AuthModel {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuthModel() {}

  /** A body that is not JSON of the expected shape: etcd answers 400 "Invalid JSON...". */
  static final class BadJson extends Exception {
    BadJson() {
      super(null, null, false, false);
    }
  }

  /** read and write key patterns; either may be null. */
  record Permissions(List<String> read, List<String> write) {
    static final Permissions NONE = new Permissions(null, null);
    static final Permissions ALL = new Permissions(List.of("/*"), List.of("/*"));

    boolean isEmpty() {
      return (read == null || read.isEmpty()) && (write == null || write.isEmpty());
    }
  }

  /** grant and revoke are null unless given (a change request). */
  record Role(String role, Permissions permissions, Permissions grant, Permissions revoke) {}

  /** password is a bcrypt hash when stored, plain text in a request, "" when absent. */
  record User(String user, String password, List<String> roles, List<String> grant,
      List<String> revoke) {
    User withPassword(String password) {
      return new User(user, password, roles, grant, revoke);
    }
  }

  static User parseUser(String json) throws BadJson {
    JsonNode root = parse(json);
    return new User(string(root, "user"), string(root, "password"), strings(root, "roles"),
        strings(root, "grant"), strings(root, "revoke"));
  }

  static Role parseRole(String json) throws BadJson {
    JsonNode root = parse(json);
    // Permissions is a value in etcd's struct, not a pointer: absent or null, it is empty
    Permissions permissions = permissions(field(root, "permissions"));
    return new Role(string(root, "role"), permissions == null ? Permissions.NONE : permissions,
        permissions(field(root, "grant")), permissions(field(root, "revoke")));
  }

  /** Stored records were written by us: a broken one is a bug, not a client's mistake. */
  static User storedUser(String json) {
    try {
      return parseUser(json);
    } catch (BadJson e) {
      throw new IllegalStateException("unreadable auth user record: " + json);
    }
  }

  static Role storedRole(String json) {
    try {
      return parseRole(json);
    } catch (BadJson e) {
      throw new IllegalStateException("unreadable auth role record: " + json);
    }
  }

  // Go's encoder: fields in declaration order, omitempty where etcd's structs say so.
  static String userJson(User u) {
    StringBuilder b = new StringBuilder("{\"user\":").append(JsonText.quote(u.user()));
    if (!u.password().isEmpty()) b.append(",\"password\":").append(JsonText.quote(u.password()));
    b.append(",\"roles\":");
    list(b, u.roles());
    if (u.grant() != null && !u.grant().isEmpty()) list(b.append(",\"grant\":"), u.grant());
    if (u.revoke() != null && !u.revoke().isEmpty()) list(b.append(",\"revoke\":"), u.revoke());
    return b.append('}').toString();
  }

  static String roleJson(Role r) {
    StringBuilder b = new StringBuilder();
    role(b, r);
    return b.toString();
  }

  /** etcd's userWithRoles: the roles themselves, omitted when there are none. */
  static void userWithRoles(StringBuilder b, String user, List<Role> roles) {
    b.append("{\"user\":").append(JsonText.quote(user));
    if (!roles.isEmpty()) {
      b.append(",\"roles\":[");
      for (int i = 0; i < roles.size(); i++) {
        if (i > 0) b.append(',');
        role(b, roles.get(i));
      }
      b.append(']');
    }
    b.append('}');
  }

  static void role(StringBuilder b, Role r) {
    b.append("{\"role\":").append(JsonText.quote(r.role())).append(",\"permissions\":");
    permissions(b, r.permissions());
    if (r.grant() != null) permissions(b.append(",\"grant\":"), r.grant());
    if (r.revoke() != null) permissions(b.append(",\"revoke\":"), r.revoke());
    b.append('}');
  }

  private static void permissions(StringBuilder b, Permissions p) {
    b.append("{\"kv\":{\"read\":");
    list(b, p.read());
    b.append(",\"write\":");
    list(b, p.write());
    b.append("}}");
  }

  private static void list(StringBuilder b, List<String> values) {
    if (values == null) {
      b.append("null");
      return;
    }
    b.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) b.append(',');
      b.append(JsonText.quote(values.get(i)));
    }
    b.append(']');
  }

  private static JsonNode parse(String json) throws BadJson {
    try {
      JsonNode root = JSON.readTree(json);
      if (root == null || root.isMissingNode()) throw new BadJson(); // an empty body: Go's EOF
      if (!root.isObject() && !root.isNull()) throw new BadJson();
      return root;
    } catch (JsonProcessingException e) {
      throw new BadJson();
    }
  }

  private static Permissions permissions(JsonNode node) throws BadJson {
    if (node == null || node.isNull()) return null;
    if (!node.isObject()) throw new BadJson();
    JsonNode kv = field(node, "kv");
    if (kv == null || kv.isNull()) return Permissions.NONE;
    if (!kv.isObject()) throw new BadJson();
    return new Permissions(strings(kv, "read"), strings(kv, "write"));
  }

  /** Go matches a JSON name to a field exactly first, then ignoring case. */
  private static JsonNode field(JsonNode object, String name) {
    if (object == null || !object.isObject()) return null;
    JsonNode exact = object.get(name);
    if (exact != null) return exact;
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
    }
    return null;
  }

  private static String string(JsonNode object, String name) throws BadJson {
    JsonNode node = field(object, name);
    if (node == null || node.isNull()) return "";
    if (!node.isTextual()) throw new BadJson();
    return node.asText();
  }

  private static List<String> strings(JsonNode object, String name) throws BadJson {
    JsonNode node = field(object, name);
    if (node == null || node.isNull()) return null;
    if (!node.isArray()) throw new BadJson();
    List<String> values = new ArrayList<>(node.size());
    for (JsonNode element : node) {
      if (element.isNull()) {
        values.add(""); // Go leaves a string it decodes null into as it was
      } else if (element.isTextual()) {
        values.add(element.asText());
      } else {
        throw new BadJson();
      }
    }
    return List.copyOf(values);
  }
}
