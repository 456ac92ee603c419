package io.v2store.etcdctl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected strings are what the Go client put on the wire (seen in the reference's --debug lines). */
class GoUrlTest {
    @Test
    void keyPathsAreCleanedAndEscapedLikeGo() {
        assertEquals("/v2/keys/a%20b/c%25d%3Fe%23f", GoUrl.keysPath("/a b/c%d?e#f"));
        assertEquals("/v2/keys/x/z/", GoUrl.keysPath("x//y/../z/"));
        assertEquals("/v2/keys/", GoUrl.keysPath("/"));
        assertEquals("/v2/keys/$&+,:;=@-_.~%21%2A%27%28%29", GoUrl.keysPath("/$&+,:;=@-_.~!*'()"));
        assertEquals("/v2/keys/%C3%BC", GoUrl.keysPath("/ü"));
    }

    @Test
    void formValuesAreSortedAndQueryEscaped() {
        final Map<String, String> form = new LinkedHashMap<>();
        form.put("value", "a b&c=d/ü");
        form.put("ttl", "100");
        assertEquals("ttl=100&value=a+b%26c%3Dd%2F%C3%BC", GoUrl.encodeValues(form));
        assertEquals("", GoUrl.encodeValues(Map.of()));
    }

    @Test
    void debugBodiesAreQuotedLikeGo() {
        assertEquals("\"{\\\"peerURLs\\\":[\\\"http://x:1\\\"]}\"", HttpTransport.goQuote("{\"peerURLs\":[\"http://x:1\"]}"));
        assertEquals("\"\"", HttpTransport.goQuote(""));
    }
}
