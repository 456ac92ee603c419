package io.v2store.server.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code --initial-cluster} the way etcd 3.4's {@code types.NewURLsMap} does: comma
 * separated {@code name=url} pairs, a name may repeat to give a member several peer URLs, no
 * percent-decoding, a pair without {@code =} has an empty (hence invalid) URL. Member order is
 * the order of first appearance; each member's URLs are sorted like any etcd URL list.
 */
public final class InitialCluster {

    private InitialCluster() {
    }

    /** @throws IllegalArgumentException with etcd's message for the first bad URL */
    public static Map<String, List<URI>> parse(String text) {
        Map<String, List<String>> raw = new LinkedHashMap<>();
        for (String pair : text.split(",", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq >= 0 ? pair.substring(0, eq) : pair;
            String url = eq >= 0 ? pair.substring(eq + 1) : "";
            raw.computeIfAbsent(name, k -> new ArrayList<>()).add(url);
        }
        Map<String, List<URI>> members = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : raw.entrySet()) {
            members.put(e.getKey(), UrlList.parse(String.join(",", e.getValue())));
            if (members.get(e.getKey()).isEmpty()) {
                throw new IllegalArgumentException("URL scheme must be http, https, unix, or unixs: ");
            }
        }
        return Collections.unmodifiableMap(members);
    }

    /** {@code name=url,...} with every URL of every member, as etcd prints the initial cluster. */
    public static String format(Map<String, List<URI>> members) {
        List<String> pairs = new ArrayList<>();
        members.forEach((name, urls) -> urls.forEach(url -> pairs.add(name + "=" + url)));
        return String.join(",", pairs);
    }
}
