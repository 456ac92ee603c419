package io.v2store.it;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Random keys-API requests as etcdctl, confd, registrators and curl users send them, and some
 * they should not: a few keys that collide (hidden ones, a space, a non-ASCII name, a '%'), path
 * spellings that are cleaned or redirected, parameters in the query or a form body, booleans and
 * integers well and ill spelt, repeated and unknown parameters, bad escapes, long values. One
 * {@link Random} and what {@link KeysSeen} learnt from the reference's answers decide everything,
 * so a seed replays the same requests. Index parameters are written as {@code {{N}}}, an index
 * relative to the server's start, which each server's runner resolves.
 */
final class KeysTraffic {

    private static final List<String> KEYS = List.of("/a", "/a/b", "/a/b/c", "/d", "/d/e", "/_hidden", "/a/_h",
        "/x y", "/\u00fc", "/q", "/100%");
    /** Spellings that etcd cleans (trailing slash, %2F), redirects (//, ., ..) or refuses (%zz). */
    private static final List<String> ODD_PATHS = List.of("/v2/keys", "/v2/keys/", "/v2/keys/a/", "/v2/keys//a",
        "/v2/keys/a//b", "/v2/keys/a/./b", "/v2/keys/a/../d", "/v2/keys/a%2Fb", "/v2/keys/x+y", "/v2/keys/%zz",
        "/v2/keys/\u00fc", "/v2/keys/a%2F", "/v2/keys/q/");
    private static final List<String> VALUES = List.of("1", "2", "x", "hello world", "");
    private static final List<String> ODD_VALUES = List.of("a\nb", "say \"hi\"", "tab\there", "<b>&amp;</b>",
        "\u00fc\u20ac", "100%", "a=b&c");
    /** Go's ParseBool spellings, mostly true, and some it refuses (the empty one included). */
    private static final List<String> BOOLS = List.of("true", "true", "true", "false", "false", "1", "T", "False",
        "yes", "", "truee");
    private static final List<String> NOISE = List.of("foo=bar", "Value=upper", "value", "recursive", "ttl",
        "quiet=true", "consistent=true", "x=1;y=2");
    private static final int LONG_VALUE_BYTES = 10 * 1024;
    /** An index no test reaches: a prevIndex that can never match. */
    private static final long FUTURE_INDEX = 100_000;
    /** How the normaliser writes an in-order key's name: its index relative to the start, 20 digits. */
    private static final Pattern IN_ORDER_NAME = Pattern.compile("<(\\d{20})>");

    private final Random random;
    private final KeysSeen seen;

    KeysTraffic(Random random, KeysSeen seen) {
        this.random = random;
        this.seen = seen;
    }

    RawRequest next() {
        int roll = random.nextInt(100);
        if (roll < 10 && seen.hasEvents()) {
            return watch();
        }
        if (roll < 33) {
            return read(random.nextInt(5) == 0 ? "HEAD" : "GET");
        }
        if (roll < 68) {
            return write("PUT");
        }
        if (roll < 76) {
            return write("POST");
        }
        if (roll < 99) {
            return delete();
        }
        return assemble("PATCH", path(), new ArrayList<>(List.of("value=" + value())), List.of());
    }

    private RawRequest read(String method) {
        List<String> params = new ArrayList<>();
        maybe(35, () -> params.add("recursive=" + pick(BOOLS)));
        maybe(35, () -> params.add("sorted=" + pick(List.of("true", "true", "1", "false"))));
        maybe(5, () -> params.add("quorum=" + pick(BOOLS)));
        maybe(3, () -> params.add("dir=" + pick(BOOLS)));
        maybe(3, () -> params.add("stream=true"));
        maybe(3, () -> params.add("wait=false"));
        if (random.nextInt(100) < 2) {
            // answered with an error before any watch starts; alone, so no valid waitIndex comes first
            params.add("wait=true&waitIndex=" + pick(List.of("abc", "-1", "1.5", "")));
        } else {
            maybe(3, () -> params.add("waitIndex=" + pastIndex()));
        }
        maybe(3, () -> params.add(pick(NOISE)));
        Collections.shuffle(params, random);
        String target = withQuery(path(), params);
        RawRequest request = RawRequest.of(method, target);
        // bodies of GET and HEAD are ignored; never one with "wait" in it, in case it were not
        boolean ignoredBody = bodyAllowed(target) && random.nextInt(20) == 0;
        return ignoredBody ? request.form("recursive=true&value=ignored&prevValue=") : request;
    }

    /** A watch from a past index at or before an event it matches: the history answers at once. */
    private RawRequest watch() {
        KeysSeen.Event event = seen.anyEvent(random);
        long waitIndex = Math.max(1, event.index() - random.nextInt(3));
        List<String> params = new ArrayList<>(List.of("wait=true", "waitIndex={{" + waitIndex + "}}"));
        // In-order names are known only normalised: watch their directory instead.
        boolean exactPossible = !event.key().contains("<");
        int how = random.nextInt(10);
        String key;
        if (how < 5 && exactPossible) {
            key = event.key();
            maybe(30, () -> params.add("recursive=" + pick(List.of("true", "false"))));
        } else if (how < 8 || !event.removedDirectory()) {
            key = ancestor(event.key());
            params.add("recursive=true");
        } else {
            // a watcher below a removed directory is woken by the directory's event
            key = event.key() + pick(List.of("/b", "/zz/y"));
        }
        Collections.shuffle(params, random);
        // HEAD may not wait (error 209) whatever the index
        String method = random.nextInt(20) == 0 ? "HEAD" : "GET";
        return RawRequest.of(method, withQuery(encodePath(key), params));
    }

    private String ancestor(String key) {
        List<String> ancestors = new ArrayList<>(List.of("/"));
        for (int slash = key.indexOf('/', 1); slash > 0; slash = key.indexOf('/', slash + 1)) {
            ancestors.add(key.substring(0, slash));
        }
        return pick(ancestors);
    }

    private RawRequest write(String method) {
        // POSTs mostly to two queues: into any key they would soon turn every key into a directory
        String key = method.equals("POST") && random.nextInt(10) < 7 ? pick(List.of("/q", "/d/e")) : pick(KEYS);
        List<String> params = new ArrayList<>();
        // A long value goes in a form body, as etcdctl sends it: in the query it makes the request
        // line longer than 4096 bytes, and etcd 3.4 then resets the connection without an answer
        // (its listener reads at most that much to tell HTTP from gRPC); we answer it.
        List<String> formOnly = random.nextInt(25) == 0 ? List.of("value=" + "v".repeat(LONG_VALUE_BYTES)) : List.of();
        maybe(formOnly.isEmpty() ? 85 : 10, () -> params.add("value=" + value()));
        maybe(method.equals("POST") ? 5 : 10, () -> params.add("dir=" + pick(BOOLS)));
        boolean quietAnswer = random.nextInt(20) == 0;
        if (quietAnswer) {
            params.add("noValueOnSuccess=" + pick(BOOLS));
        }
        maybe(20, () -> params.add("prevExist=" + pick(BOOLS)));
        maybe(15, () -> params.add("prevValue=" + prevValue(key)));
        maybe(15, () -> params.add("prevIndex=" + prevIndex(key)));
        // ttl=0 expires the node at once: not with noValueOnSuccess, whose answer does not show
        // the expiry to await (a POST's new key is awaited by its index: awaitPath)
        boolean expiryAllowed = !quietAnswer;
        maybe(25, () -> params.add("ttl=" + ttl(expiryAllowed)));
        maybe(8, () -> params.add("refresh=" + pick(BOOLS)));
        maybe(3, () -> params.add(pick(NOISE)));
        maybe(3, () -> params.add("value=" + value()));
        return assemble(method, random.nextInt(10) == 0 ? pick(ODD_PATHS) : encodePath(key), params, formOnly);
    }

    private RawRequest delete() {
        String key = pick(KEYS);
        List<String> params = new ArrayList<>();
        maybe(20, () -> params.add("dir=" + pick(BOOLS)));
        maybe(25, () -> params.add("recursive=" + pick(BOOLS)));
        maybe(12, () -> params.add("prevValue=" + prevValue(key)));
        maybe(12, () -> params.add("prevIndex=" + prevIndex(key)));
        maybe(3, () -> params.add(pick(NOISE)));
        return assemble("DELETE", random.nextInt(10) == 0 ? pick(ODD_PATHS) : encodePath(key), params, List.of());
    }

    /**
     * Puts the parameters in the query, or some of them in a form body (which etcd reads only for
     * PUT and POST with the form content type, preferring it to the query); sometimes a bad escape.
     * {@code formOnly}: parameters that go in a form body whatever else is drawn (and are left out
     * where no body may go).
     */
    private RawRequest assemble(String method, String path, List<String> params, List<String> formOnly) {
        Collections.shuffle(params, random);
        maybe(2, () -> params.add(random.nextInt(params.size() + 1), "%zz=1"));
        if (!bodyAllowed(path) || formOnly.isEmpty() && random.nextInt(100) >= 35) {
            return RawRequest.of(method, withQuery(path, params));
        }
        List<String> query = new ArrayList<>();
        List<String> body = new ArrayList<>();
        params.forEach(p -> (random.nextInt(10) < 7 ? body : query).add(p));
        formOnly.forEach(p -> body.add(random.nextInt(body.size() + 1), p));
        RawRequest request = RawRequest.of(method, withQuery(path, query));
        String text = String.join("&", body);
        if (!formOnly.isEmpty()) {
            return request.form(text);
        }
        return switch (random.nextInt(25)) {
            case 0 -> request.body(text, "application/json");
            case 1 -> request.body(text, null);
            case 2 -> request.body(text, RawRequest.FORM + "; charset=utf-8");
            case 3 -> request.body(text, "Application/X-WWW-Form-Urlencoded");
            case 4 -> request.body(text, "multipart/form-data; boundary=x");
            default -> request.form(text);
        };
    }

    /**
     * Go refuses a malformed path before reading the body and closes the connection; a body still
     * unread then makes the kernel reset it, and whether the client reads the 400 first is a race.
     */
    private static boolean bodyAllowed(String target) {
        int query = target.indexOf('?');
        return !(query < 0 ? target : target.substring(0, query)).contains("%zz");
    }

    private String value() {
        int roll = random.nextInt(100);
        if (roll < 70) {
            return encode(pick(VALUES));
        }
        if (roll < 80) {
            return encode(pick(ODD_VALUES));
        }
        if (roll < 90) {
            return pick(VALUES).replace(" ", "%20");
        }
        if (roll < 96) {
            // unencoded, as a careless curl user sends them (UTF-8 bytes for the non-ASCII one)
            return pick(List.of("a\"b", "<x>", "a'b", "\u00fc", "a,b|c"));
        }
        return pick(List.of("%zz", "%", "%e2%82"));
    }

    /**
     * The key's value as last seen (if short), else any: a comparison that may hold. Not one read
     * back with U+FFFD: etcd stored the invalid bytes behind it, which no prevValue spells the
     * same way, while we store the U+FFFD (a known difference, see PercentDecoder).
     */
    private String prevValue(String key) {
        Optional<String> current = seen.value(key).filter(v -> v.length() < 100 && v.indexOf('\ufffd') < 0);
        return encode(random.nextBoolean() && current.isPresent() ? current.get() : pick(VALUES));
    }

    private String prevIndex(String key) {
        int roll = random.nextInt(100);
        Optional<Long> current = seen.modifiedIndex(key);
        if (roll < 40 && current.isPresent()) {
            return "{{" + current.get() + "}}";
        }
        if (roll < 65 && seen.hasEvents()) {
            return "{{" + seen.anyEvent(random).index() + "}}";
        }
        return pick(List.of("0", "-1", "abc", "", "{{" + FUTURE_INDEX + "}}"));
    }

    /** A TTL; the valid ones are long enough that nothing expires during a test. */
    private String ttl(boolean expiryAllowed) {
        int roll = random.nextInt(100);
        if (roll < 55) {
            return Integer.toString(100 + random.nextInt(901));
        }
        if (roll < 70) {
            return "";
        }
        if (roll < 80 && expiryAllowed) {
            return "0";
        }
        return pick(List.of("-5", "abc", "1.5", "%205", "0x10"));
    }

    private String pastIndex() {
        return seen.hasEvents() ? "{{" + seen.anyEvent(random).index() + "}}" : "0";
    }

    private String path() {
        return random.nextInt(8) == 0 ? pick(ODD_PATHS) : encodePath(pick(KEYS));
    }

    /**
     * The path of a key as a normalised answer names it: a key POST made, whose last segment the
     * normaliser wrote as {@code <N in 20 digits>}, becomes {@code {{N|padded}}}, which each
     * server's runner turns into its own name for that key.
     */
    static String awaitPath(String normalisedKey) {
        Matcher inOrder = IN_ORDER_NAME.matcher(normalisedKey);
        if (!inOrder.find()) {
            return encodePath(normalisedKey);
        }
        String template = "{{" + Long.parseLong(inOrder.group(1)) + "|padded}}";
        return encodePath(normalisedKey.substring(0, inOrder.start())) + template
            + encodePath(normalisedKey.substring(inOrder.end())).substring("/v2/keys".length());
    }

    /** The request path of a key, each byte outside RFC 3986's unreserved set percent-encoded. */
    static String encodePath(String key) {
        StringBuilder out = new StringBuilder("/v2/keys");
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c == '/' || c == '-' || c == '.' || c == '_' || c == '~' || Character.isLetterOrDigit(c) && c < 0x80) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String withQuery(String path, List<String> params) {
        return params.isEmpty() ? path : path + "?" + String.join("&", params);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private void maybe(int percent, Runnable action) {
        if (random.nextInt(100) < percent) {
            action.run();
        }
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
