package io.v2store.it;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request as exact bytes: method, request target (path and query, sent as written,
 * so that {@code //} and bad escapes reach the server), optional body with its content type,
 * optional extra headers.
 */
record RawRequest(String method, String target, Optional<String> body, Optional<String> contentType,
                  Map<String, String> headers) {

    static final String FORM = "application/x-www-form-urlencoded";

    RawRequest {
        Objects.requireNonNull(method);
        Objects.requireNonNull(target);
        headers = Map.copyOf(headers);
    }

    static RawRequest of(String method, String target) {
        return new RawRequest(method, target, Optional.empty(), Optional.empty(), Map.of());
    }

    RawRequest form(String formBody) {
        return body(formBody, FORM);
    }

    RawRequest body(String text, String type) {
        return new RawRequest(method, target, Optional.of(text), Optional.ofNullable(type), headers);
    }

    RawRequest header(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new RawRequest(method, target, body, contentType, more);
    }

    RawRequest withTarget(String newTarget) {
        return new RawRequest(method, newTarget, body, contentType, headers);
    }

    RawRequest withBody(Optional<String> newBody) {
        return new RawRequest(method, target, newBody, contentType, headers);
    }

    @Override
    public String toString() {
        return method + " " + target + body.map(b -> "  body[" + contentType.orElse("no type") + "]=" + b).orElse("");
    }
}
