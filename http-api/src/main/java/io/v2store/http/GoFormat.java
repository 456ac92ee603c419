package io.v2store.http;

import java.math.BigDecimal;

/** Go's renderings of durations (time.Duration.String) and JSON floats, for /v2/stats. */
final class GoFormat {
  private GoFormat() {}

  /** time.Duration.String(): "36.83118339s", "4m21.59s", "1h0m0s", "1.5ms", "0s". */
  static String duration(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    boolean negative = nanos < 0;
    long u = Math.abs(nanos);
    StringBuilder sb = new StringBuilder();
    if (u < 1_000_000_000L) {
      if (u < 1_000) {
        sb.append(u).append("ns");
      } else if (u < 1_000_000) {
        sb.append(fraction(u, 1_000)).append("µs");
      } else {
        sb.append(fraction(u, 1_000_000)).append("ms");
      }
    } else {
      long hours = u / 3_600_000_000_000L;
      long minutes = (u / 60_000_000_000L) % 60;
      long secNanos = u % 60_000_000_000L;
      if (hours > 0) {
        sb.append(hours).append('h');
      }
      if (hours > 0 || minutes > 0) {
        sb.append(minutes).append('m');
      }
      sb.append(fraction(secNanos, 1_000_000_000L)).append('s');
    }
    return negative ? "-" + sb : sb.toString();
  }

  private static String fraction(long value, long unit) {
    long whole = value / unit;
    long rest = value % unit;
    if (rest == 0) {
      return Long.toString(whole);
    }
    String digits = Long.toString(unit + rest).substring(1);
    int end = digits.length();
    while (digits.charAt(end - 1) == '0') {
      end--;
    }
    return whole + "." + digits.substring(0, end);
  }

  /** encoding/json's float64: shortest form, plain digits between 1e-6 and 1e21. */
  static String jsonFloat(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "0"; // Go refuses to encode these; a number keeps the document valid
    }
    double abs = Math.abs(d);
    if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
      String s = Double.toString(d).replace("E", "e");
      int e = s.indexOf('e');
      String mantissa = new BigDecimal(s.substring(0, e)).stripTrailingZeros().toPlainString();
      String exponent = s.substring(e + 1);
      String sign = exponent.startsWith("-") ? "-" : "+";
      String digits = exponent.replace("-", "");
      return mantissa + "e" + sign + (digits.length() < 2 ? "0" + digits : digits);
    }
    if (d == 0) {
      return "0";
    }
    return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
  }
}
