package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KeysTrafficTest {

    @Test
    void aKeyIsAwaitedByItsEncodedPath() {
        assertEquals("/v2/keys/a/x%20y", KeysTraffic.awaitPath("/a/x y"));
    }

    @Test
    void aKeyPostMadeIsAwaitedByTheIndexItsNameHolds() {
        // the normaliser wrote the name of the key made at index 12 after the start as <0...012>
        assertEquals("/v2/keys/d/e/{{12|padded}}", KeysTraffic.awaitPath("/d/e/<00000000000000000012>"));
        assertEquals("/v2/keys/q/{{7|padded}}/x", KeysTraffic.awaitPath("/q/<00000000000000000007>/x"));
    }
}
