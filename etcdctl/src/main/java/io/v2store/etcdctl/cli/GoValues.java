package io.v2store.etcdctl.cli;

import java.math.BigInteger;
import picocli.CommandLine;

/**
 * Flag values as Go's flag package reads them: an int with {@code strconv.ParseInt(s, 0, 64)} (a
 * {@code 0x}, {@code 0o}, {@code 0b} or bare {@code 0} prefix picks the base, underscores may
 * separate digits: {@code --ttl 010} is 8 seconds), a boolean with {@code strconv.ParseBool}
 * ({@code 1}, {@code t}, {@code T}, {@code TRUE}, {@code true}, {@code True} and their false forms).
 */
final class GoValues {
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
    /** Stands for an empty boolean value ({@code --sort=}), which picocli would not pass on. */
    static final String EMPTY_BOOLEAN = "\u0000empty";

    private GoValues() {
    }

    /** Makes every option of the command tree (as built so far) read its ints and booleans as Go does. */
    static void register(CommandLine cl) {
        // Named classes, not method references: a lambda's entry in the class list makes the
        // class-data dump link the picocli interface it implements, and JDK 17 archives a linked
        // class of picocli's age (Java 5 class files) no more than the classes that implement it
        // (all its converters, RunLast...): ~40 classes read and verified from the jar at every run.
        final CommandLine.ITypeConverter<Long> ints = new GoInt();
        final CommandLine.ITypeConverter<Boolean> bools = new GoBool();
        cl.registerConverter(Long.class, ints);
        cl.registerConverter(long.class, ints);
        cl.registerConverter(Boolean.class, bools);
        cl.registerConverter(boolean.class, bools);
    }

    private static final class GoInt implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parseInt(value);
        }
    }

    private static final class GoBool implements CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            return parseBool(value);
        }
    }

    static long parseInt(String s) {
        String digits = s;
        boolean negative = false;
        if (!digits.isEmpty() && (digits.charAt(0) == '+' || digits.charAt(0) == '-')) {
            negative = digits.charAt(0) == '-';
            digits = digits.substring(1);
        }
        if (digits.isEmpty()) {
            throw parseError(s);
        }
        int radix = 10;
        if (digits.charAt(0) == '0') {
            final char p = digits.length() >= 3 ? Character.toLowerCase(digits.charAt(1)) : 0;
            radix = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 8;
            digits = digits.substring(radix == 8 && p != 'o' ? 1 : 2);
        }
        final boolean underscores = digits.indexOf('_') >= 0;
        if (underscores && !underscoreOk(s)) {
            throw parseError(s);
        }
        final String plain = digits.replace("_", "");
        BigInteger value = BigInteger.ZERO;
        for (int i = 0; i < plain.length(); i++) {
            final int d = Character.digit(plain.charAt(i), radix);
            if (d < 0 || plain.charAt(i) > 'z') {
                throw parseError(s);
            }
            value = value.multiply(BigInteger.valueOf(radix)).add(BigInteger.valueOf(d));
        }
        if (negative) {
            value = value.negate();
        }
        if (value.compareTo(MAX) > 0 || value.compareTo(MIN) < 0) {
            throw new CommandLine.TypeConversionException("invalid value \"" + s + "\": value out of range");
        }
        return value.longValueExact();
    }

    /** Go's {@code strconv.underscoreOK}: underscores only between digits (a base prefix counts as one). */
    private static boolean underscoreOk(String s) {
        char saw = '^';
        int i = 0;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            s = s.substring(1);
        }
        boolean hex = false;
        if (s.length() >= 2 && s.charAt(0) == '0' && "box".indexOf(Character.toLowerCase(s.charAt(1))) >= 0) {
            i = 2;
            saw = '0';
            hex = Character.toLowerCase(s.charAt(1)) == 'x';
        }
        for (; i < s.length(); i++) {
            final char c = s.charAt(i);
            final char lower = Character.toLowerCase(c);
            if (c >= '0' && c <= '9' || hex && lower >= 'a' && lower <= 'f') {
                saw = '0';
                continue;
            }
            if (c == '_') {
                if (saw != '0') {
                    return false;
                }
                saw = '_';
                continue;
            }
            if (saw == '_') {
                return false;
            }
            saw = '!';
        }
        return saw != '_';
    }

    static boolean parseBool(String s) {
        switch (s) {
            case "1": case "t": case "T": case "TRUE": case "true": case "True":
                return true;
            case "0": case "f": case "F": case "FALSE": case "false": case "False":
                return false;
            default:
                final String given = s.equals(EMPTY_BOOLEAN) ? "" : s;
                throw new CommandLine.TypeConversionException("invalid boolean value \"" + given + "\": parse error");
        }
    }

    private static CommandLine.TypeConversionException parseError(String s) {
        return new CommandLine.TypeConversionException("invalid value \"" + s + "\": parse error");
    }
}
