package io.v2store.etcdctl.client;

import java.util.List;

/** {@code /v2/auth/roles} as the Go v2 client's AuthRoleAPI (etcd 3.4) uses it. */
public final class AuthRolesClient {
    private final HttpTransport transport;

    public AuthRolesClient(HttpTransport transport) {
        this.transport = transport;
    }

    /** Unlike the other calls, a refusal is reported by its status alone ("unexpected status code 401"). */
    public List<String> list() throws Exception {
        final V2Reply reply = transport.send(V2Request.get(AuthClient.path("roles", ""), ""));
        if (reply.status() != 200) {
            throw new AuthException("unexpected status code " + reply.status());
        }
        return AuthJson.names(reply.body(), "roles", "role");
    }

    public AuthRole get(String name) throws Exception {
        return AuthJson.role(AuthClient.send(transport, V2Request.get(AuthClient.path("roles", name), ""), 200).body());
    }

    public void add(String name) throws Exception {
        AuthClient.send(transport, AuthClient.json("PUT", AuthClient.path("roles", name),
                AuthJson.roleBody(name, null, null)), 200, 201);
    }

    public void remove(String name) throws Exception {
        AuthClient.send(transport, new V2Request("DELETE", AuthClient.path("roles", name), "", null, null, false),
                200, 201);
    }

    /** Returns the role as the server answers it, for etcdctl's "unchanged" comparison. */
    public AuthRole grant(String name, String prefix, AuthRole.Access access) throws Exception {
        return change(name, "grant", access.of(List.of(prefix)));
    }

    public AuthRole revoke(String name, String prefix, AuthRole.Access access) throws Exception {
        return change(name, "revoke", access.of(List.of(prefix)));
    }

    private AuthRole change(String name, String kind, AuthRole.Permissions change) throws Exception {
        final String body = AuthJson.roleBody(name, kind, change);
        return AuthJson.role(AuthClient.send(transport, AuthClient.json("PUT", AuthClient.path("roles", name), body),
                200).body());
    }
}
