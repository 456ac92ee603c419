package io.v2store.etcdctl.cli;

/** Parses Go duration strings ({@code 2s}, {@code 500ms}, {@code 1m30s}) into milliseconds. */
public final class GoDuration {
    private GoDuration() {
    }

    /** Go's {@code time.ParseDuration}: an optional sign, then number-unit pairs (or a bare 0). */
    public static long parseMillis(String text) {
        int i = 0;
        boolean negative = false;
        if (!text.isEmpty() && (text.charAt(0) == '-' || text.charAt(0) == '+')) {
            negative = text.charAt(0) == '-';
            i = 1;
        }
        if (text.substring(i).equals("0")) {
            return 0;
        }
        double totalMillis = 0;
        if (i == text.length()) {
            throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
        }
        while (i < text.length()) {
            final int numberStart = i;
            while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                i++;
            }
            final int unitStart = i;
            while (i < text.length() && Character.isLetter(text.charAt(i))) {
                i++;
            }
            if (numberStart == unitStart || unitStart == i) {
                throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
            }
            final double number = Double.parseDouble(text.substring(numberStart, unitStart));
            totalMillis += number * unitMillis(text.substring(unitStart, i), text);
        }
        return negative ? -(long) totalMillis : (long) totalMillis;
    }

    private static double unitMillis(String unit, String text) {
        switch (unit) {
            case "ns": return 1e-6;
            case "us": case "\u00b5s": case "\u03bcs": return 1e-3;
            case "ms": return 1;
            case "s": return 1000;
            case "m": return 60_000;
            case "h": return 3_600_000;
            default: throw new IllegalArgumentException("time: unknown unit \"" + unit + "\" in duration \"" + text + "\"");
        }
    }
}
