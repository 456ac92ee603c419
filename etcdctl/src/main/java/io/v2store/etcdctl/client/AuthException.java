package io.v2store.etcdctl.client;

/**
 * An auth-API failure whose message etcdctl prints as is: the server's {@code message} (for
 * example "auth: User x does not exist."), or the Go client's own text ("unexpected status code 401").
 */
public final class AuthException extends Exception {
    public AuthException(String message) {
        super(message, null, false, false);
    }
}
