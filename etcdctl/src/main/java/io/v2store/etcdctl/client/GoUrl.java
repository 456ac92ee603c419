package io.v2store.etcdctl.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** URL building with Go's {@code net/url} escaping rules, so that requests and --debug lines match. */
public final class GoUrl {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private GoUrl() {
    }

    /** The escaped {@code /v2/keys} path of a key, cleaned like Go's {@code CanonicalURLPath}. */
    public static String keysPath(String key) {
        final String withSlash = key.startsWith("/") || key.isEmpty() ? key : "/" + key;
        return escapePath(canonical("/v2/keys" + withSlash));
    }

    /** Go's {@code pathutil.CanonicalURLPath}: a leading slash added, cleaned, a trailing slash kept. */
    public static String canonicalUrlPath(String p) {
        return canonical(p.startsWith("/") ? p : "/" + p);
    }

    /** {@code path.Clean} keeping a trailing slash. */
    static String canonical(String p) {
        final List<String> parts = new ArrayList<>();
        for (String seg : p.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
                continue;
            }
            parts.add(seg);
        }
        final String cleaned = "/" + String.join("/", parts);
        return p.endsWith("/") && !cleaned.endsWith("/") ? cleaned + "/" : cleaned;
    }

    /** Go's {@code escape(s, encodePath)}. */
    public static String escapePath(String s) {
        return escape(s, "-_.~$&+,/:;=@", false);
    }

    /** Go's {@code url.QueryEscape}. */
    public static String escapeQuery(String s) {
        return escape(s, "-_.~", true);
    }

    private static String escape(String s, String keep, boolean spaceAsPlus) {
        final StringBuilder sb = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            final int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (c < 0x80 && keep.indexOf(c) >= 0)) {
                sb.append((char) c);
            } else if (c == ' ' && spaceAsPlus) {
                sb.append('+');
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return sb.toString();
    }

    /** Go's {@code url.Values.Encode}: keys sorted, each pair query-escaped. */
    public static String encodeValues(Map<String, String> values) {
        final StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(escapeQuery(e.getKey())).append('=').append(escapeQuery(e.getValue()));
        }
        return sb.toString();
    }
}
