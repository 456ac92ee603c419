package io.v2store.it;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One normalised response: what must be equal between etcd and the candidate. TTLs are kept
 * aside because two servers answering a second apart may differ by one.
 */
record Observation(String step, int status, Map<String, String> headers, String body, List<Long> ttls,
                   String otherReading) {

    /**
     * @param otherReading the body under the other reading of a cause that reads two ways (see
     *     Normaliser.replaceIndexComparisons), or null
     */
    Observation {
        headers = new TreeMap<>(headers);
        ttls = List.copyOf(ttls);
    }

    Observation(String step, int status, Map<String, String> headers, String body, List<Long> ttls) {
        this(step, status, headers, body, ttls, null);
    }

    static Observation failure(String step, String message) {
        return new Observation(step, -1, Map.of(), "request failed: " + message, List.of());
    }

    boolean matches(Observation other) {
        if (status != other.status || !headers.equals(other.headers) || !sameBody(other)
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

    /** The bodies are equal under some reading of each. */
    private boolean sameBody(Observation other) {
        for (String mine : readings()) {
            for (String theirs : other.readings()) {
                if (mine.equals(theirs)) {
                    return true;
                }
            }
        }
        return false;
    }

    private List<String> readings() {
        return otherReading == null ? List.of(body) : List.of(body, otherReading);
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append("    status ").append(status).append('\n');
        headers.forEach((k, v) -> out.append("    ").append(k).append(": ").append(v).append('\n'));
        out.append("    body ").append(body).append('\n');
        if (otherReading != null) {
            out.append("    or, reading the cause the other way, ").append(otherReading).append('\n');
        }
        if (!ttls.isEmpty()) {
            out.append("    ttls ").append(ttls).append('\n');
        }
        return out.toString();
    }
}
