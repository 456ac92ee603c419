package io.v2store.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GoFlagParserTest {

    private final GoFlagParser parser = new GoFlagParser(FlagCatalog.byName());

    private GoFlagParser.Parsed parsed(String... args) {
        return assertInstanceOf(GoFlagParser.Parsed.class, parser.parse(List.of(args)));
    }

    private String failure(String... args) {
        return assertInstanceOf(GoFlagParser.Failed.class, parser.parse(List.of(args))).message();
    }

    @Test
    void allFourSpellingsOfAValuedFlagAreEquivalent() {
        for (List<String> args : List.of(List.of("-name", "x"), List.of("--name", "x"),
            List.of("-name=x"), List.of("--name=x"))) {
            GoFlagParser.Parsed result = assertInstanceOf(GoFlagParser.Parsed.class, parser.parse(args));
            assertEquals(Map.of("name", "x"), result.values(), args.toString());
            assertEquals(List.of(), result.positional());
        }
    }

    @Test
    void aBooleanAloneIsTrueAndTakesAValueOnlyWithEquals() {
        assertEquals(Map.of("enable-v2", "true"), parsed("--enable-v2").values());
        assertEquals(Map.of("enable-v2", "false"), parsed("--enable-v2=false").values());
        GoFlagParser.Parsed spaced = parsed("--enable-v2", "false");
        assertEquals(Map.of("enable-v2", "true"), spaced.values());
        assertEquals(List.of("false"), spaced.positional());
    }

    @Test
    void parsingStopsAtTheFirstNonFlag() {
        GoFlagParser.Parsed result = parsed("--name", "a", "extra", "--data-dir", "d");
        assertEquals(Map.of("name", "a"), result.values());
        assertEquals(List.of("extra", "--data-dir", "d"), result.positional());
    }

    @Test
    void doubleDashEndsTheFlagsAndASingleDashIsPositional() {
        assertEquals(List.of("--name"), parsed("--", "--name").positional());
        assertEquals(List.of("-"), parsed("-").positional());
    }

    @Test
    void theLastOccurrenceWins() {
        assertEquals(Map.of("name", "b"), parsed("--name=a", "--name", "b").values());
    }

    @Test
    void aValuedFlagTakesTheNextArgumentEvenIfItLooksLikeAFlag() {
        assertEquals(Map.of("name", "--data-dir"), parsed("--name", "--data-dir").values());
    }

    @Test
    void anEmptyValueIsAValue() {
        assertEquals(Map.of("wal-dir", ""), parsed("--wal-dir=").values());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-h", "--help", "-help", "--h", "-h=true"})
    void helpIsRecognisedThoughNotAFlag(String arg) {
        assertInstanceOf(GoFlagParser.HelpRequested.class, parser.parse(List.of(arg)));
    }

    @Test
    void errorsUseGosWording() {
        assertEquals("flag provided but not defined: -foo", failure("--foo"));
        assertEquals("flag provided but not defined: -addr", failure("-addr=x"));
        assertEquals("flag needs an argument: -name", failure("--name"));
        assertEquals("bad flag syntax: ---name", failure("---name"));
        assertEquals("bad flag syntax: -=x", failure("-=x"));
        assertEquals("invalid boolean value \"maybe\" for -enable-v2: parse error", failure("--enable-v2=maybe"));
        assertEquals("invalid value \"abc\" for flag -heartbeat-interval: parse error",
            failure("--heartbeat-interval", "abc"));
        assertEquals("invalid value \"5\" for flag -grpc-keepalive-timeout: parse error",
            failure("--grpc-keepalive-timeout=5"));
        assertEquals("invalid value \"ftp://x:1\" for flag -listen-client-urls: "
            + "URL scheme must be http, https, unix, or unixs: ftp://x:1", failure("--listen-client-urls=ftp://x:1"));
        assertEquals("invalid value \"--bar\" for flag -max-concurrent-streams: "
            + "strconv.ParseUint: parsing \"--bar\": invalid syntax", failure("--max-concurrent-streams", "--bar"));
    }

    @Test
    void theFirstErrorStopsParsing() {
        assertEquals("flag provided but not defined: -a", failure("--name", "x", "-a", "-b"));
    }

    @Test
    void legacyFlagsAreBooleanLike() {
        GoFlagParser.Parsed result = parsed("-v", "--cluster-active-size=3", "--name", "x");
        assertEquals(Map.of("v", "true", "cluster-active-size", "3", "name", "x"), result.values());
    }

    @Test
    void unsignedNumbersFollowGoBaseZeroSyntax() {
        assertEquals(Map.of("snapshot-count", "0x10"), parsed("--snapshot-count=0x10").values());
        assertEquals(16, FlagValues.parseUnsigned("0x10"));
        assertEquals(8, FlagValues.parseUnsigned("010"));
        assertEquals(1000, FlagValues.parseUnsigned("1_000"));
        assertEquals("invalid value \"-1\" for flag -snapshot-count: parse error", failure("--snapshot-count=-1"));
        assertEquals("invalid value \"18446744073709551616\" for flag -snapshot-count: value out of range",
            failure("--snapshot-count=18446744073709551616"));
        assertEquals(-5, FlagValues.parseSigned("-5"));
    }
}
