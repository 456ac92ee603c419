package io.v2store.etcdctl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The /v2/auth encoding and decoding cases the golden scripts cannot reach with etcd as the server
 * (it always answers roles as objects), for a server that answers otherwise.
 */
class AuthJsonTest {
    @Test
    void bodiesAreWhatGoMarshals() {
        assertEquals("{\"user\":\"a\",\"password\":\"p\\u003c\\u003e\",\"roles\":null}",
                AuthJson.userBody("a", "p<>", null, List.of()));
        assertEquals("{\"user\":\"a\",\"roles\":null,\"revoke\":[\"r\",\"s\"]}",
                AuthJson.userBody("a", "", "revoke", List.of("r", "s")));
        assertEquals("{\"role\":\"r\",\"permissions\":{\"kv\":{\"read\":null,\"write\":null}},"
                        + "\"grant\":{\"kv\":{\"read\":[\"/a\"],\"write\":[\"/a\"]}}}",
                AuthJson.roleBody("r", "grant", AuthRole.Access.READ_WRITE.of(List.of("/a"))));
    }

    @Test
    void aBodyThatIsNotJsonIsDescribedInGosWords() {
        // What Debian's etcdctl prints when /v2/auth answers something that is not JSON: etcd 3.4
        // without --enable-v2 answers "404 page not found", a wrong method "Method Not Allowed",
        // a web proxy its HTML page. Go's json.Unmarshal names the character and where it was.
        final java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("404 page not found\n", "invalid character 'p' after top-level value");
        cases.put("Method Not Allowed\n", "invalid character 'M' looking for beginning of value");
        cases.put("<html><body>Bad Gateway</body></html>", "invalid character '<' looking for beginning of value");
        cases.put("{\"message\":", "unexpected end of JSON input");
        cases.put("{\"message\":\"a\" x}", "invalid character 'x' after object key:value pair");
        cases.put("{\"message\" \"a\"}", "invalid character '\"' after object key");
        cases.put("{1}", "invalid character '1' looking for beginning of object key string");
        cases.put("[1 2]", "invalid character '2' after array element");
        cases.put("trux", "invalid character 'x' in literal true (expecting 'e')");
        cases.put("\"\\q\"", "invalid character 'q' in string escape code");
        cases.put("\u00e9t\u00e9", "invalid character '\u00c3' looking for beginning of value");
        cases.put("\"\\u00ZZ\"", "invalid character 'Z' in \\u hexadecimal character escape");
        cases.put("\ud83d\ude00", "invalid character '\u00f0' looking for beginning of value");
        cases.put("nul", "invalid character ' ' in literal null (expecting 'l')");
        cases.put("-x", "invalid character 'x' in numeric literal");
        cases.put("1.x", "invalid character 'x' after decimal point in numeric literal");
        cases.put("1e", "invalid character ' ' in exponent of numeric literal");
        cases.put("01", "invalid character '1' after top-level value");
        cases.put("[1", "unexpected end of JSON input");
        cases.put("\"\\", "invalid character ' ' in string escape code");
        cases.put("\u0001", "invalid character '\\x01' looking for beginning of value");
        for (java.util.Map.Entry<String, String> c : cases.entrySet()) {
            final AuthException e = assertThrows(AuthException.class, () -> AuthJson.errorMessage(c.getKey()));
            assertEquals(c.getValue(), e.getMessage(), c.getKey());
        }
    }

    @Test
    void userRolesDecodeAsGoDoes() throws Exception {
        // Roles as objects (etcd's GET): one empty name per role, then the names.
        assertEquals(List.of("", "", "r", "s"), AuthJson.user(
                "{\"user\":\"u\",\"roles\":[{\"role\":\"r\"},{\"role\":\"s\"}]}").roles());
        // Roles as strings (etcd's answer to a grant) fit the first decode.
        assertEquals(List.of("r"), AuthJson.user("{\"user\":\"u\",\"roles\":[\"r\"]}").roles());
        assertEquals(List.of(), AuthJson.user("{\"user\":\"u\"}").roles());
        assertThrows(AuthException.class, () -> AuthJson.user("{\"user\":\"u\",\"roles\":[\"r\",{\"role\":\"s\"}]}"));
    }

    @Test
    void nilAndEmptyPrefixListsDiffer() throws Exception {
        final AuthRole nil = AuthJson.role("{\"role\":\"r\",\"permissions\":{\"kv\":{\"read\":null,\"write\":null}}}");
        final AuthRole empty = AuthJson.role("{\"role\":\"r\",\"permissions\":{\"kv\":{\"read\":[],\"write\":null}}}");
        assertEquals(nil, AuthJson.role("{\"role\":\"r\"}"));
        assertNotEquals(nil, empty);
    }

    @Test
    void errorsAndListings() throws Exception {
        assertEquals("auth: x", AuthJson.errorMessage("{\"message\":\"auth: x\"}"));
        assertEquals("", AuthJson.errorMessage("{\"user\":\"u\"}"));
        assertEquals("unexpected end of JSON input",
                assertThrows(AuthException.class, () -> AuthJson.errorMessage("")).getMessage());
        assertEquals(List.of("a", "b"), AuthJson.names("{\"users\":[{\"user\":\"a\"},{\"user\":\"b\",\"roles\":[]}]}",
                "users", "user"));
    }

    @Test
    void namesAreJoinedIntoThePathAsPathJoinDoes() {
        assertEquals("/v2/auth/users", AuthClient.path("users", ""));
        assertEquals("/v2/auth/users/b", AuthClient.path("users", "a/../b/"));
        assertEquals("/v2/auth/roles/a%20b", AuthClient.path("roles", "a b"));
        assertEquals("/v2/auth/enable", AuthClient.path("enable", ""));
    }

    @Test
    void canonicalUrlPath() {
        assertEquals("/", GoUrl.canonicalUrlPath(""));
        assertEquals("/a", GoUrl.canonicalUrlPath("a"));
        assertEquals("/b/", GoUrl.canonicalUrlPath("/a/../b/"));
        assertEquals("/a/b", GoUrl.canonicalUrlPath("/a//b"));
        assertEquals("/b/*", GoUrl.canonicalUrlPath("/b/*"));
    }
}
