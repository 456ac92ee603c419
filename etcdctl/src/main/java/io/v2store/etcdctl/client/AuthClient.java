package io.v2store.etcdctl.client;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code /v2/auth/enable} as the Go v2 client's AuthAPI uses it, and what its user and role APIs
 * share: the URL of a resource and the reading of a refusal.
 */
public final class AuthClient {
    private static final String PREFIX = "/v2/auth";
    private final HttpTransport transport;

    public AuthClient(HttpTransport transport) {
        this.transport = transport;
    }

    public void enable() throws Exception {
        send(transport, new V2Request("PUT", path("enable", ""), "", null, null, false), 200, 201);
    }

    public void disable() throws Exception {
        send(transport, new V2Request("DELETE", path("enable", ""), "", null, null, false), 200, 201);
    }

    /**
     * Go's {@code path.Join("/v2/auth", action, name)}: the name is cleaned into the path, so
     * "a/../b" addresses b and an empty name the collection, then escaped as net/url escapes paths.
     */
    static String path(String action, String name) {
        final List<String> parts = new ArrayList<>();
        for (String seg : (PREFIX + "/" + action + "/" + name).split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else {
                parts.add(seg);
            }
        }
        return GoUrl.escapePath("/" + String.join("/", parts));
    }

    /** One request whose answer must have one of the {@code ok} statuses; otherwise the server's message. */
    static V2Reply send(HttpTransport transport, V2Request request, int... ok) throws Exception {
        final V2Reply reply = transport.send(request);
        for (int status : ok) {
            if (reply.status() == status) {
                return reply;
            }
        }
        throw new AuthException(AuthJson.errorMessage(reply.body()));
    }

    static V2Request json(String method, String path, String body) {
        return new V2Request(method, path, "", body, "application/json", false);
    }
}
