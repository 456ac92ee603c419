package io.v2store.it;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One normalised response: what must be equal between etcd and the candidate. TTLs are kept
 * aside because two servers answering a second apart may differ by one.
 */
record Observation(String step, int status, Map<String, String> headers, String body, List<Long> ttls) {

    Observation {
        headers = new TreeMap<>(headers);
        ttls = List.copyOf(ttls);
    }

    static Observation failure(String step, String message) {
        return new Observation(step, -1, Map.of(), "request failed: " + message, List.of());
    }

    boolean matches(Observation other) {
        if (status != other.status || !headers.equals(other.headers) || !body.equals(other.body)
            || ttls.size() != other.ttls.size()) {
            return false;
        }
        for (int i = 0; i < ttls.size(); i++) {
            if (Math.abs(ttls.get(i) - other.ttls.get(i)) > 1) {
                return false;
            }
        }
        return true;
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append("    status ").append(status).append('\n');
        headers.forEach((k, v) -> out.append("    ").append(k).append(": ").append(v).append('\n'));
        out.append("    body ").append(body).append('\n');
        if (!ttls.isEmpty()) {
            out.append("    ttls ").append(ttls).append('\n');
        }
        return out.toString();
    }
}
