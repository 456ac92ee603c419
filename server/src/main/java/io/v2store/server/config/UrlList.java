package io.v2store.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * etcd's URL-list flag values ({@code types.NewURLs}): comma separated, each with scheme
 * http/https/unix/unixs, a {@code host:port} authority and no path; duplicates collapse and the
 * result is sorted by its text, as etcd's UniqueURLs does.
 */
public final class UrlList {

    private UrlList() {
    }

    /** @throws IllegalArgumentException with etcd's message for the first bad URL */
    public static List<URI> parse(String commaSeparated) {
        if (commaSeparated.isEmpty()) {
            return List.of();
        }
        TreeMap<String, URI> unique = new TreeMap<>();
        for (String part : commaSeparated.split(",", -1)) {
            URI uri = parseOne(part.strip());
            unique.put(uri.toString(), uri);
        }
        return List.copyOf(unique.values());
    }

    /** One URL, validated as etcd validates peer and client URLs. */
    public static URI parseOne(String text) {
        int colon = text.indexOf(':');
        String scheme = colon > 0 ? text.substring(0, colon).toLowerCase(Locale.ROOT) : "";
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("unix") && !scheme.equals("unixs")) {
            throw new IllegalArgumentException("URL scheme must be http, https, unix, or unixs: " + text);
        }
        String normalised = scheme + text.substring(colon);
        if (normalised.startsWith("://", scheme.length())) {
            String rest = normalised.substring(scheme.length() + 3);
            int end = 0;
            while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
                end++;
            }
            String authority = rest.substring(0, end);
            checkPort(text, authority.substring(authority.lastIndexOf('@') + 1));
        }
        URI uri;
        try {
            uri = new URI(normalised);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("parse \"" + text + "\": " + e.getReason());
        }
        String authority = uri.getRawAuthority();
        if (authority == null || !hasHostPort(authority)) {
            throw new IllegalArgumentException("URL address does not have the form \"host:port\": " + text);
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty()) {
            throw new IllegalArgumentException("URL must not contain a path: " + text);
        }
        return uri;
    }

    /**
     * Go's url.Parse: what follows the host's last colon (after the brackets of an IPv6 host) is
     * a port of digits only, or nothing.
     */
    private static void checkPort(String text, String hostPort) {
        int close = hostPort.startsWith("[") ? hostPort.indexOf(']') : -1;
        int colon = hostPort.lastIndexOf(':');
        if (colon <= close) {
            return;
        }
        String port = hostPort.substring(colon + 1);
        if (!port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("parse \"" + text + "\": invalid port \":" + port + "\" after host");
        }
    }

    /** Go's net.SplitHostPort accepts {@code host:port} and {@code [v6]:port}; the port may be a name. */
    private static boolean hasHostPort(String authority) {
        String hostPort = authority.substring(authority.indexOf('@') + 1);
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close > 0 && hostPort.startsWith(":", close + 1);
        }
        int colon = hostPort.lastIndexOf(':');
        return colon >= 0 && hostPort.indexOf(':') == colon;
    }

    /** Sorted text of each URL, as etcd writes URL lists in logs and in /v2/members. */
    public static List<String> strings(List<URI> uris) {
        List<String> out = new ArrayList<>();
        for (URI uri : uris) {
            out.add(uri.toString());
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }
}
