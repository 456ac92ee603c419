package io.v2store.etcdctl.client;

import io.v2store.etcdctl.json.GoJsonWriter;
import io.v2store.etcdctl.json.JsonException;
import io.v2store.etcdctl.json.JsonReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The /v2/auth bodies, written byte for byte as the Go client's {@code json.Marshal} of its User and
 * Role structs writes them (they show in --debug lines), and read with the same leniency and quirks.
 */
final class AuthJson {
    private AuthJson() {
    }

    /** Go's User struct: {@code roles} is never set by etcdctl (null); empty password and lists are omitted. */
    static String userBody(String user, String password, String listName, List<String> roles) {
        final StringBuilder sb = new StringBuilder("{\"user\":");
        GoJsonWriter.appendString(sb, user);
        if (!password.isEmpty()) {
            sb.append(",\"password\":");
            GoJsonWriter.appendString(sb, password);
        }
        sb.append(",\"roles\":null");
        if (listName != null && !roles.isEmpty()) {
            sb.append(",\"").append(listName).append("\":");
            appendList(sb, roles);
        }
        return sb.append('}').toString();
    }

    /** Go's Role struct: {@code permissions} always present (empty), grant and revoke only when set. */
    static String roleBody(String role, String changeName, AuthRole.Permissions change) {
        final StringBuilder sb = new StringBuilder("{\"role\":");
        GoJsonWriter.appendString(sb, role);
        sb.append(",\"permissions\":");
        appendPermissions(sb, AuthRole.Permissions.NONE);
        if (changeName != null) {
            sb.append(",\"").append(changeName).append("\":");
            appendPermissions(sb, change);
        }
        return sb.append('}').toString();
    }

    private static void appendPermissions(StringBuilder sb, AuthRole.Permissions p) {
        sb.append("{\"kv\":{\"read\":");
        appendList(sb, p.read());
        sb.append(",\"write\":");
        appendList(sb, p.write());
        sb.append("}}");
    }

    private static void appendList(StringBuilder sb, List<String> items) {
        if (items == null) {
            sb.append("null");
            return;
        }
        sb.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            GoJsonWriter.appendString(sb, items.get(i));
        }
        sb.append(']');
    }

    /** The {@code message} of an error body (Go's authError); "" when the object has none. */
    static String errorMessage(String body) throws AuthException {
        return string(object(parse(body)).get("message"));
    }

    static AuthRole role(String body) throws AuthException {
        final Map<String, Object> m = object(parse(body));
        final Object grant = m.get("grant");
        final Object revoke = m.get("revoke");
        return new AuthRole(string(m.get("role")), permissions(m.get("permissions")),
                grant == null ? null : permissions(grant), revoke == null ? null : permissions(revoke));
    }

    /**
     * Go's {@code modUser} decoding, quirk included: etcd answers roles as objects, which do not fit
     * the client's {@code []string}, so the first decode leaves one empty name per role and the
     * fallback decode appends the real names after them. {@code user get} therefore prints one extra
     * space per role ("Roles:  reader" for one role), exactly like the reference.
     */
    static AuthUser user(String body) throws AuthException {
        final Map<String, Object> m = object(parse(body));
        final List<String> roles = new ArrayList<>();
        boolean mismatch = false;
        final List<?> items = m.get("roles") instanceof List<?> list ? list : List.of();
        for (Object item : items) {
            roles.add(item instanceof String s ? s : "");
            mismatch |= item != null && !(item instanceof String);
        }
        if (mismatch) {
            for (Object item : items) {
                if (item instanceof String) {
                    throw new AuthException(
                            "json: cannot unmarshal object into Go struct field User.roles of type string");
                }
                roles.add(item == null ? "" : string(object(item).get("role")));
            }
        }
        return new AuthUser(string(m.get("user")), roles);
    }

    /** The {@code name} field of every object in the {@code list} array (users or roles listings). */
    static List<String> names(String body, String list, String name) throws AuthException {
        final List<String> names = new ArrayList<>();
        if (object(parse(body)).get(list) instanceof List<?> items) {
            for (Object item : items) {
                names.add(item == null ? "" : string(object(item).get(name)));
            }
        }
        return names;
    }

    private static AuthRole.Permissions permissions(Object value) throws AuthException {
        if (value == null) {
            return AuthRole.Permissions.NONE;
        }
        final Object kv = object(value).get("kv");
        if (kv == null) {
            return AuthRole.Permissions.NONE;
        }
        final Map<String, Object> rw = object(kv);
        return new AuthRole.Permissions(strings(rw.get("read")), strings(rw.get("write")));
    }

    private static List<String> strings(Object value) {
        if (!(value instanceof List<?> items)) {
            return null;
        }
        final List<String> out = new ArrayList<>(items.size());
        for (Object item : items) {
            out.add(string(item));
        }
        return out;
    }

    private static Object parse(String body) throws AuthException {
        if (body.isBlank()) {
            throw new AuthException("unexpected end of JSON input"); // Go's words for an empty body
        }
        try {
            return JsonReader.parse(body);
        } catch (JsonException e) {
            throw new AuthException(e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) throws AuthException {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new AuthException("json: cannot unmarshal " + goKind(value) + " into Go value");
    }

    private static String goKind(Object value) {
        return value instanceof List ? "array" : value instanceof String ? "string"
                : value instanceof Boolean ? "bool" : "number";
    }

    private static String string(Object value) {
        return value instanceof String s ? s : "";
    }
}
