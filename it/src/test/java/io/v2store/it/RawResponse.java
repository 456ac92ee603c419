package io.v2store.it;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A response as received: status, headers in arrival order, and the de-chunked body. */
record RawResponse(int status, List<Header> headers, String body) {

    record Header(String name, String value) {
    }

    RawResponse {
        headers = List.copyOf(headers);
    }

    Optional<String> header(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return headers.stream().filter(h -> h.name().toLowerCase(Locale.ROOT).equals(wanted))
            .map(Header::value).findFirst();
    }

    long etcdIndex() {
        return Long.parseLong(header("X-Etcd-Index").orElseThrow(
            () -> new AssertionError("no X-Etcd-Index in " + this)));
    }
}
