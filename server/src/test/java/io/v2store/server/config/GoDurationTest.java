package io.v2store.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "5s, 5000000000",
        "100ms, 100000000",
        "1m30s, 90000000000",
        "2h, 7200000000000",
        "1.5h, 5400000000000",
        "-1s, -1000000000",
        "+3ms, 3000000",
        "10us, 10000",
        "10µs, 10000",
        "7ns, 7",
        ".5s, 500000000",
        "1h2m3s4ms5us6ns, 3723004005006"})
    void parsesGoSyntax(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), GoDuration.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "s", "1x", "1..2s", "abc", "-", "1s5", " 1s"})
    void rejectsWhatGoRejects(String text) {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text));
    }

    @org.junit.jupiter.api.Test
    void namesTheMissingUnit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("5"));
        assertEquals("time: missing unit in duration \"5\"", e.getMessage());
    }
}
