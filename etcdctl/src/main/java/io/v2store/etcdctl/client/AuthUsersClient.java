package io.v2store.etcdctl.client;

import java.util.List;

/** {@code /v2/auth/users} as the Go v2 client's AuthUserAPI (etcd 3.4) uses it. */
public final class AuthUsersClient {
    private final HttpTransport transport;

    public AuthUsersClient(HttpTransport transport) {
        this.transport = transport;
    }

    public List<String> list() throws Exception {
        final V2Reply reply = AuthClient.send(transport, V2Request.get(AuthClient.path("users", ""), ""), 200);
        return AuthJson.names(reply.body(), "users", "user");
    }

    public AuthUser get(String name) throws Exception {
        return AuthJson.user(AuthClient.send(transport, V2Request.get(AuthClient.path("users", name), ""), 200).body());
    }

    /** Also what a PUT with a password does to an existing user: the server changes the password. */
    public void add(String name, String password) throws Exception {
        put(name, AuthJson.userBody(name, password, null, List.of()), 200, 201);
    }

    public void remove(String name) throws Exception {
        AuthClient.send(transport, new V2Request("DELETE", AuthClient.path("users", name), "", null, null, false),
                200, 201);
    }

    public void grant(String name, List<String> roles) throws Exception {
        put(name, AuthJson.userBody(name, "", "grant", roles), 200);
    }

    public void revoke(String name, List<String> roles) throws Exception {
        put(name, AuthJson.userBody(name, "", "revoke", roles), 200);
    }

    /**
     * Only 200 counts: etcd answers 201 when the PUT created the user instead, and the Go client
     * then reports the (message-less) body as an error, which etcdctl prints as an empty line.
     */
    public void changePassword(String name, String password) throws Exception {
        put(name, AuthJson.userBody(name, password, null, List.of()), 200);
    }

    private void put(String name, String body, int... ok) throws Exception {
        final V2Request request = AuthClient.json("PUT", AuthClient.path("users", name), body);
        final V2Reply reply = AuthClient.send(transport, request, ok);
        if (ok.length == 1) {
            AuthJson.user(reply.body()); // the Go client decodes the answer; a body it cannot read is an error
        }
    }
}
