package io.v2store.server.config;

import java.math.BigInteger;
import java.util.Optional;

/**
 * Checks and converts flag text the way the Go flag.Value etcd registers would: booleans as
 * strconv.ParseBool, numbers as strconv.ParseUint/ParseInt with base 0 (so {@code 0x10} works),
 * durations as time.ParseDuration, URL lists as etcd's types.NewURLs.
 */
public final class FlagValues {

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger UINT32_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);

    private FlagValues() {
    }

    /**
     * @return empty when {@code value} is acceptable for {@code spec}, else the reason Go's flag
     *     package would give after {@code invalid value "..." for flag -name: }
     */
    public static Optional<String> problem(FlagSpec spec, String value) {
        try {
            switch (spec.kind()) {
                case BOOL -> parseBool(value);
                case UINT -> parseGoInteger(value, false, UINT64_MAX);
                case INT -> parseGoInteger(value, true, INT64_MAX);
                case UINT32 -> parseDecimalUint32(value);
                case DURATION -> {
                    try {
                        GoDuration.parse(value);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("parse error");
                    }
                }
                case URLS -> UrlList.parse(value);
                case URLS_OR_STAR -> {
                    if (!value.equals("*")) {
                        UrlList.parse(value);
                    }
                }
                case CHOICE -> {
                    if (!spec.choices().contains(value)) {
                        throw new IllegalArgumentException(
                            "invalid value (valid values: " + String.join(", ", spec.choices()) + ")");
                    }
                }
                case STRING, STRINGS, IGNORED -> {
                    // any text (etcd's IgnoredFlag accepts and drops any value)
                }
                default -> throw new IllegalStateException("unhandled kind " + spec.kind());
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** strconv.ParseBool. */
    public static boolean parseBool(String value) {
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new IllegalArgumentException("parse error");
        };
    }

    /** A uint flag's value; {@code 0x}, {@code 0o}, {@code 0b} and leading-zero octal accepted. */
    public static long parseUnsigned(String value) {
        return parseGoInteger(value, false, UINT64_MAX).longValue();
    }

    /** An int flag's value (signed, base 0). */
    public static long parseSigned(String value) {
        return parseGoInteger(value, true, INT64_MAX).longValueExact();
    }

    private static BigInteger parseGoInteger(String value, boolean signed, BigInteger max) {
        String s = value;
        boolean negative = false;
        if (signed && !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        int radix = 10;
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("0x")) {
            radix = 16;
            s = s.substring(2);
        } else if (lower.startsWith("0b")) {
            radix = 2;
            s = s.substring(2);
        } else if (lower.startsWith("0o")) {
            radix = 8;
            s = s.substring(2);
        } else if (s.length() > 1 && s.charAt(0) == '0') {
            radix = 8;
            s = s.substring(1);
        }
        // base 0 allows underscores between digits
        if (s.startsWith("_") || s.endsWith("_") || s.contains("__")) {
            throw new IllegalArgumentException("parse error");
        }
        s = s.replace("_", "");
        if (s.isEmpty()) {
            throw new IllegalArgumentException("parse error");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), radix) < 0) {
                throw new IllegalArgumentException("parse error");
            }
        }
        BigInteger parsed = new BigInteger(s, radix);
        if (negative) {
            parsed = parsed.negate();
        }
        if (parsed.compareTo(max) > 0 || (signed && parsed.compareTo(INT64_MIN) < 0)) {
            throw new IllegalArgumentException("value out of range");
        }
        return parsed;
    }

    /** etcd's --max-concurrent-streams: strconv.ParseUint(s, 10, 32), with strconv's own wording. */
    public static long parseDecimalUint32(String value) {
        boolean digitsOnly = !value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digitsOnly) {
            throw new IllegalArgumentException("strconv.ParseUint: parsing \"" + value + "\": invalid syntax");
        }
        BigInteger parsed = new BigInteger(value);
        if (parsed.compareTo(UINT32_MAX) > 0) {
            throw new IllegalArgumentException("strconv.ParseUint: parsing \"" + value + "\": value out of range");
        }
        return parsed.longValue();
    }
}
