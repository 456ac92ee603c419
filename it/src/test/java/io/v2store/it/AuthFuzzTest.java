package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random v2 auth traffic, the same sequence to the real etcd and to the candidate: users and
 * roles made, changed and removed with well- and ill-formed JSON bodies (wrong types, nulls,
 * names in other cases, unknown fields), auth turned on and off, keys read and written as the
 * guest, users, root and wrong credentials. Every answer's status and body must be equal (store
 * indexes aside: etcd's auth records take indexes of their own). One seed replays exactly.
 * Empty key patterns are left out: etcd's handler crashes on them (README).
 */
class AuthFuzzTest {
    private static final int REQUESTS = 250;
    /** Every this many requests, root and auth are restored (see the test). */
    private static final int REFRESH_EVERY = 50;
    private static final List<String> NAMES = List.of("root", "guest", "a", "b", "r1", "x y", "\u00fc");
    private static final List<String> PATTERNS = List.of("/*", "/a", "/a/*", "*", "/a/b*", "/\u00fc/*");
    private static final Pattern EMPTY_PATTERN = Pattern.compile("\"(read|write)\":\\[[^\\]]*\"\"");
    private static final Pattern USER_NAME = Pattern.compile("\\{\"user\":\"([^\"]*)\"");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Pattern MISSING_ROLE = Pattern.compile("^404 \\{\"message\":\"auth: Role (.*) does not exist\\.\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    /** The seeds run; {@code -Dit.authFuzzSeeds=5,6,7} runs others. */
    static LongStream seeds() {
        return FuzzSeeds.from("it.authFuzzSeeds", "1,4");
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomAuthTrafficIsAnsweredAsEtcdAnswersIt(long seed) throws Exception {
        RealEtcd.requireBinary();
        try (ServerPair servers = ServerPair.start("n1", "fuzz-" + seed)) {
            ServerUnderTest reference = servers.reference();
            ServerUnderTest candidate = servers.candidate();
            Traffic fuzz = new Traffic(new Random(seed));
            // a root and a user to start from, and auth on: left to chance, some seeds never turned
            // it on and their whole traffic met no check (3444 of 3401-3460)
            List<Call> calls = new ArrayList<>(List.of(
                new Call("PUT", "/v2/auth/users/root", "{\"user\":\"root\",\"password\":\"pw\"}", null),
                new Call("PUT", "/v2/auth/users/a", "{\"user\":\"a\",\"password\":\"pw\"}", null),
                new Call("PUT", "/v2/auth/enable", null, null)));
            for (int i = 0; i < REQUESTS; i++) {
                calls.add(fuzz.next());
                if (i % REFRESH_EVERY == REFRESH_EVERY - 1) {
                    // root back with its password and auth on again: traffic that turned auth off
                    // and lost root's password met no check from then on (3492 and 3494 met 3
                    // and 1 of 3461-3500)
                    calls.add(new Call("PUT", "/v2/auth/users/root", "{\"user\":\"root\",\"password\":\"pw\"}", "root:pw"));
                    calls.add(new Call("PUT", "/v2/auth/enable", null, "root:pw"));
                }
            }
            int refused = 0;
            for (int i = 0; i < calls.size(); i++) {
                Call call = calls.get(i);
                String where = "seed " + seed + ", request " + i + ": " + call;
                Optional<String> reply = answerUnlessDropped(reference.clientUrl(), call);
                String actual = answer(candidate.clientUrl(), call);
                if (reply.isEmpty()) {
                    // etcd's handler crashed and closed the connection, as it does when a key's check
                    // reaches an empty pattern or a user's roles are read and one is named "" (a null
                    // in a JSON list is stored as ""; README's differences). Ours must answer; the
                    // stores may differ after this request (ours may have done what etcd did not),
                    // so the seed ends here.
                    assertTrue(rolesHoldEmptyPattern(reference.clientUrl())
                            || usersHoldEmptyRole(candidate.clientUrl()),
                        where + ": etcd closed the connection without an empty name to explain it");
                    assertTrue(actual.substring(0, 4).matches("[24]\\d\\d "), where + ": ours answered " + actual);
                    break;
                }
                String expected = reply.get();
                assertEquals(expected, actual, where);
                if (expected.startsWith("401")) {
                    refused++;
                }
            }
            assertTrue(refused > 10, "the traffic never met a check: " + refused);
        }
    }

    private record Call(String method, String path, String body, String user) {
    }

    /** The generator: one Random, so a seed replays the same requests in the same order. */
    private record Traffic(Random random) {

        Call next() {
            String user = pick(java.util.Arrays.asList(null, null, "root:pw", "a:pw", "root:bad", "b:pw"));
            switch (random.nextInt(4)) {
                case 0 -> {
                    return new Call(pick(List.of("GET", "PUT", "DELETE")), "/v2/auth/enable", null, user);
                }
                case 1 -> {
                    String method = pick(List.of("GET", "PUT", "DELETE"));
                    String path = pick(List.of("/v2/keys/a", "/v2/keys/a/b", "/v2/keys?sorted=true",
                        "/v2/keys/?sorted=true", "/v2/keys/c?recursive=true"));
                    if (method.equals("PUT")) {
                        path += (path.contains("?") ? "&" : "?") + "value=1";
                    }
                    return new Call(method, path, null, user);
                }
                default -> {
                    String kind = random.nextBoolean() ? "users" : "roles";
                    String name = pick(NAMES);
                    String method = pick(List.of("GET", "PUT", "PUT", "PUT", "DELETE"));
                    String path = random.nextInt(10) == 0 ? "/v2/auth/" + kind
                        : "/v2/auth/" + kind + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
                    return new Call(method, path, method.equals("PUT") ? body(kind, name) : null, user);
                }
            }
        }

        private String body(String kind, String name) {
            if (random.nextInt(20) == 0) {
                return pick(List.of("", "null", "[]", "{", "nonsense", "{\"" + kind.substring(0, 4)
                    + "\":\"" + name + "\"} trailing", "{\"user\":\"a\",\"user\":\"b\"}"));
            }
            StringBuilder b = new StringBuilder("{");
            if (kind.equals("users")) {
                if (random.nextInt(10) < 9) {
                    field(b, pick(List.of("user", "user", "user", "User", "USER")), random.nextInt(7) > 0 ? q(name) : any());
                }
                if (random.nextInt(10) < 6) {
                    field(b, "password", pick(List.of(q("pw"), q(""), q("p".repeat(100)), "null", "5")));
                }
                for (String list : List.of("roles", "grant", "revoke")) {
                    if (random.nextInt(10) < 3) {
                        field(b, list, list(NAMES));
                    }
                }
            } else {
                if (random.nextInt(10) < 9) {
                    field(b, "role", random.nextInt(7) > 0 ? q(name) : any());
                }
                for (String perms : List.of("permissions", "grant", "revoke")) {
                    if (random.nextInt(10) < 4) {
                        field(b, perms, permissions());
                    }
                }
            }
            if (random.nextInt(20) == 0) {
                field(b, "extra", "{\"nested\":[1,2]}");
            }
            return b.append('}').toString();
        }

        private String permissions() {
            int c = random.nextInt(20);
            if (c < 3) {
                return pick(List.of("null", "[]", "\"x\""));
            }
            StringBuilder kv = new StringBuilder("{");
            if (random.nextInt(10) < 7) {
                field(kv, "read", list(PATTERNS));
            }
            if (random.nextInt(10) < 7) {
                field(kv, "write", list(PATTERNS));
            }
            kv.append('}');
            return "{\"" + (random.nextInt(10) == 0 ? "KV" : "kv") + "\":" + (random.nextInt(10) == 0 ? "null" : kv) + "}";
        }

        private String list(List<String> from) {
            int c = random.nextInt(10);
            if (c == 0) {
                return "null";
            }
            if (c == 1) {
                return pick(List.of("\"s\"", "5", "{}"));
            }
            List<String> items = new ArrayList<>();
            for (int n = random.nextInt(4); n > 0; n--) {
                items.add(random.nextInt(8) == 0 ? "null" : q(pick(from)));
            }
            return "[" + String.join(",", items) + "]";
        }

        private String any() {
            return pick(List.of("null", "7", "true", "[]", "{}", q("other")));
        }

        private static void field(StringBuilder b, String name, String json) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(name).append("\":").append(json);
        }

        private static String q(String s) {
            return "\"" + s + "\"";
        }

        private <T> T pick(List<T> from) {
            return from.get(random.nextInt(from.size()));
        }

    }

    private static Optional<String> answerUnlessDropped(URI base, Call call) throws Exception {
        try {
            return Optional.of(answer(base, call));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether some role's read or write list holds "". */
    private static boolean rolesHoldEmptyPattern(URI base) throws Exception {
        return asRoot(base, "/v2/auth/roles").filter(a -> a.startsWith("200 "))
            .map(a -> EMPTY_PATTERN.matcher(a).find()).orElse(false);
    }

    /**
     * Whether some user's roles hold "": ours answers such a user's GET with etcd's error for a
     * role that does not exist, named "" (etcd's own handler crashes on it), but names only the
     * first missing role of the user's list; so each missing role it names is created in turn
     * until "" is the one named or the user reads whole. The store is read from ours, whose state
     * is etcd's up to the request that crashed etcd (the seed ends after this check).
     */
    private static boolean usersHoldEmptyRole(URI base) throws Exception {
        Optional<String> users = asRoot(base, "GET", "/v2/auth/users", null).filter(a -> a.startsWith("200 "));
        if (users.isEmpty()) {
            return false;
        }
        Matcher name = USER_NAME.matcher(users.get());
        while (name.find()) {
            String path = "/v2/auth/users/" + pathSegment(name.group(1));
            for (int created = 0; created < NAMES.size() + 1; created++) {
                Matcher missing = MISSING_ROLE.matcher(asRoot(base, "GET", path, null).orElse(""));
                if (!missing.find()) {
                    break;
                }
                String role = missing.group(1);
                if (role.isEmpty()) {
                    return true;
                }
                asRoot(base, "PUT", "/v2/auth/roles/" + pathSegment(role), "{\"role\":" + JSON.writeValueAsString(role) + "}");
            }
        }
        return false;
    }

    private static String pathSegment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** An answer as root, with whichever password the traffic left root with; none if all were refused. */
    private static Optional<String> asRoot(URI base, String path) throws Exception {
        return asRoot(base, "GET", path, null);
    }

    private static Optional<String> asRoot(URI base, String method, String path, String body) throws Exception {
        for (String password : List.of("pw", "", "p".repeat(100))) {
            String answer = answer(base, new Call(method, path, body, "root:" + password));
            if (!answer.startsWith("401 ")) {
                return Optional.of(answer);
            }
        }
        return Optional.empty();
    }

    private static String answer(URI base, Call call) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + call.path()))
            .timeout(Duration.ofSeconds(30))
            .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(call.body()));
        if (call.body() != null) {
            b.header("Content-Type", "application/json");
        }
        if (call.user() != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString(call.user().getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body().replaceAll("\"(modifiedIndex|createdIndex|index)\":[0-9]+", "\"$1\":N");
    }
}
