package io.v2store.etcdctl.client;

/**
 * One HTTP request relative to an endpoint. {@code escapedPath} is already URL-escaped,
 * {@code query} is an encoded query string or empty, {@code body} is null when nothing is sent.
 */
public record V2Request(String method, String escapedPath, String query, String body, String contentType,
                        boolean longPoll) {

    public static V2Request get(String escapedPath, String query) {
        return new V2Request("GET", escapedPath, query, null, null, false);
    }

    public static V2Request form(String method, String escapedPath, String query, String formBody) {
        return new V2Request(method, escapedPath, query, formBody, "application/x-www-form-urlencoded", false);
    }

    public V2Request asLongPoll() {
        return new V2Request(method, escapedPath, query, body, contentType, true);
    }

    String pathAndQuery() {
        return query.isEmpty() ? escapedPath : escapedPath + "?" + query;
    }
}
