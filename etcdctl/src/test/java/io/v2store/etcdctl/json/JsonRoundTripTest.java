package io.v2store.etcdctl.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class JsonRoundTripTest {
    @Property(tries = 500)
    void anyStringWrittenGoStyleReadsBackUnchanged(@ForAll String s) {
        final boolean wellFormed = s.codePoints().allMatch(cp -> cp < Character.MIN_SURROGATE
                || cp > Character.MAX_SURROGATE) && noLoneSurrogates(s);
        final StringBuilder sb = new StringBuilder();
        GoJsonWriter.appendString(sb, s);
        if (wellFormed) {
            assertEquals(s, JsonReader.parse(sb.toString()));
        }
    }

    private static boolean noLoneSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void escapesLikeGo119() {
        final StringBuilder sb = new StringBuilder();
        GoJsonWriter.appendString(sb, "<a>&\"\\\n\t\r\b\u2028é");
        assertEquals("\"\\u003ca\\u003e\\u0026\\\"\\\\\\n\\t\\r\\u0008\\u2028é\"", sb.toString());
    }

    @Test
    void readsTheShapesEtcdSends() {
        final Object doc = JsonReader.parse("{\"action\":\"get\",\"node\":{\"key\":\"/a\",\"dir\":true,"
                + "\"nodes\":[{\"key\":\"/a/b\",\"value\":\"x\\u00e9\",\"ttl\":-1}],\"createdIndex\":5}, \"n\":null,"
                + "\"f\":1.5e3}\n");
        assertEquals(Map.of("action", "get", "node", Map.of("key", "/a", "dir", true, "nodes",
                List.of(Map.of("key", "/a/b", "value", "xé", "ttl", -1L)), "createdIndex", 5L), "f", 1500.0),
                withoutNulls(doc));
        assertThrows(JsonException.class, () -> JsonReader.parse("{\"a\":1} x"));
        assertThrows(JsonException.class, () -> JsonReader.parse("404 page not found"));
        assertThrows(JsonException.class, () -> JsonReader.parse("{\"a\":"));
    }

    @SuppressWarnings("unchecked")
    private static Object withoutNulls(Object doc) {
        ((Map<String, Object>) doc).remove("n");
        return doc;
    }
}
