package io.v2store.etcdctl.client;

/**
 * A one-shot request (see {@link HttpTransport#send(V2Request, boolean)}) failed at an endpoint
 * that may have received it; the message is that endpoint's error, as Go's client returns it.
 */
public final class EndpointException extends Exception {
    public EndpointException(String message) {
        super(message, null, false, false);
    }
}
