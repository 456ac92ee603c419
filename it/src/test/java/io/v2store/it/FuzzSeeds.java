package io.v2store.it;

import java.util.Arrays;
import java.util.stream.LongStream;

/** The seeds a fuzz test runs: a system property's comma-separated list, or the committed ones. */
final class FuzzSeeds {
    private FuzzSeeds() {
    }

    static LongStream from(String property, String committed) {
        return Arrays.stream(System.getProperty(property, committed).split(","))
            .map(String::strip).mapToLong(Long::parseLong);
    }
}
