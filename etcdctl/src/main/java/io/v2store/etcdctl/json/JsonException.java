package io.v2store.etcdctl.json;

/** A document that is not the JSON we expected. */
public final class JsonException extends RuntimeException {
    public JsonException(String message) {
        super(message);
    }
}
