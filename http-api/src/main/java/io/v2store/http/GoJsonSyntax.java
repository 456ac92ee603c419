package io.v2store.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Whether a body is JSON by Go's encoding/json, and if not, its error in Go's words: etcd answers
 * a members request's malformed body with the message of {@code json.Unmarshal}, which checks the
 * whole input's syntax before it decodes anything. The checks follow Go's scanner byte by byte, so
 * the error names the same byte in the same state ("invalid character 'p' looking for beginning
 * of object key string"), where a Java parser's message would name another thing in other words.
 */
final class GoJsonSyntax {
  /** encoding/json's bound on nested objects and arrays (Go 1.15 and later). */
  private static final int MAX_DEPTH = 10_000;

  private enum Step {
    BEGIN_VALUE_OR_EMPTY, BEGIN_VALUE, BEGIN_STRING_OR_EMPTY, BEGIN_STRING, END_VALUE, END_TOP,
    IN_STRING, IN_STRING_ESC, IN_STRING_ESC_U, IN_STRING_ESC_U1, IN_STRING_ESC_U12,
    IN_STRING_ESC_U123, NEG, ONE, ZERO, DOT, DOT0, E, E_SIGN, E0, LITERAL
  }

  private enum Container { OBJECT_KEY, OBJECT_VALUE, ARRAY_VALUE }

  private final Deque<Container> stack = new ArrayDeque<>();
  private Step step = Step.BEGIN_VALUE;
  private boolean endTop;
  private String error;
  /** Inside a literal: which one, and how much of it has been read. */
  private String literal;
  private int literalAt;

  private GoJsonSyntax() {}

  /** Go's SyntaxError message for the body, or null when Go would go on to decode it. */
  static String error(String body) {
    GoJsonSyntax scan = new GoJsonSyntax();
    for (byte b : body.getBytes(StandardCharsets.UTF_8)) {
      scan.step(b & 0xff);
      if (scan.error != null) {
        return scan.error;
      }
    }
    return scan.eof();
  }

  private String eof() {
    if (endTop) {
      return null;
    }
    step(' ');
    if (endTop) {
      return null;
    }
    return error != null ? error : "unexpected end of JSON input";
  }

  private static boolean isSpace(int c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHex(int c) {
    return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  private void fail(int c, String context) {
    error = "invalid character " + quoteChar(c) + " " + context;
  }

  private void push(Container container) {
    stack.push(container);
    if (stack.size() > MAX_DEPTH) {
      error = "invalid character " + quoteChar(container == Container.ARRAY_VALUE ? '[' : '{')
          + " exceeded max depth";
    }
  }

  private void pop() {
    stack.pop();
    if (stack.isEmpty()) {
      step = Step.END_TOP;
      endTop = true;
    } else {
      step = Step.END_VALUE;
    }
  }

  private void step(int c) {
    switch (step) {
      case BEGIN_VALUE_OR_EMPTY -> {
        if (isSpace(c)) {
          return;
        }
        if (c == ']') {
          endValue(c);
        } else {
          beginValue(c);
        }
      }
      case BEGIN_VALUE -> beginValue(c);
      case BEGIN_STRING_OR_EMPTY -> {
        if (isSpace(c)) {
          return;
        }
        if (c == '}') {
          stack.pop();
          stack.push(Container.OBJECT_VALUE);
          endValue(c);
        } else {
          beginString(c);
        }
      }
      case BEGIN_STRING -> beginString(c);
      case END_VALUE -> endValue(c);
      case END_TOP -> {
        if (!isSpace(c)) {
          fail(c, "after top-level value");
        }
      }
      case IN_STRING -> {
        if (c == '"') {
          step = Step.END_VALUE;
        } else if (c == '\\') {
          step = Step.IN_STRING_ESC;
        } else if (c < 0x20) {
          fail(c, "in string literal");
        }
      }
      case IN_STRING_ESC -> {
        if ("bfnrt\\/\"".indexOf(c) >= 0) {
          step = Step.IN_STRING;
        } else if (c == 'u') {
          step = Step.IN_STRING_ESC_U;
        } else {
          fail(c, "in string escape code");
        }
      }
      case IN_STRING_ESC_U, IN_STRING_ESC_U1, IN_STRING_ESC_U12, IN_STRING_ESC_U123 -> {
        if (!isHex(c)) {
          fail(c, "in \\u hexadecimal character escape");
        } else {
          step = switch (step) {
            case IN_STRING_ESC_U -> Step.IN_STRING_ESC_U1;
            case IN_STRING_ESC_U1 -> Step.IN_STRING_ESC_U12;
            case IN_STRING_ESC_U12 -> Step.IN_STRING_ESC_U123;
            default -> Step.IN_STRING;
          };
        }
      }
      case NEG -> {
        if (c == '0') {
          step = Step.ZERO;
        } else if (c >= '1' && c <= '9') {
          step = Step.ONE;
        } else {
          fail(c, "in numeric literal");
        }
      }
      case ONE -> {
        if (!isDigit(c)) {
          zero(c);
        }
      }
      case ZERO -> zero(c);
      case DOT -> {
        if (isDigit(c)) {
          step = Step.DOT0;
        } else {
          fail(c, "after decimal point in numeric literal");
        }
      }
      case DOT0 -> {
        if (c == 'e' || c == 'E') {
          step = Step.E;
        } else if (!isDigit(c)) {
          endValue(c);
        }
      }
      case E -> {
        if (c == '+' || c == '-') {
          step = Step.E_SIGN;
        } else {
          eSign(c);
        }
      }
      case E_SIGN -> eSign(c);
      case E0 -> {
        if (!isDigit(c)) {
          endValue(c);
        }
      }
      case LITERAL -> {
        if (c != literal.charAt(literalAt)) {
          fail(c, "in literal " + literal + " (expecting " + quoteChar(literal.charAt(literalAt)) + ")");
        } else if (++literalAt == literal.length()) {
          step = Step.END_VALUE;
        }
      }
    }
  }

  private void beginValue(int c) {
    if (isSpace(c)) {
      return;
    }
    switch (c) {
      case '{' -> {
        step = Step.BEGIN_STRING_OR_EMPTY;
        push(Container.OBJECT_KEY);
      }
      case '[' -> {
        step = Step.BEGIN_VALUE_OR_EMPTY;
        push(Container.ARRAY_VALUE);
      }
      case '"' -> step = Step.IN_STRING;
      case '-' -> step = Step.NEG;
      case '0' -> step = Step.ZERO;
      case 't', 'f', 'n' -> {
        literal = c == 't' ? "true" : c == 'f' ? "false" : "null";
        literalAt = 1;
        step = Step.LITERAL;
      }
      default -> {
        if (c >= '1' && c <= '9') {
          step = Step.ONE;
        } else {
          fail(c, "looking for beginning of value");
        }
      }
    }
  }

  private void beginString(int c) {
    if (isSpace(c)) {
      return;
    }
    if (c == '"') {
      step = Step.IN_STRING;
    } else {
      fail(c, "looking for beginning of object key string");
    }
  }

  private void zero(int c) {
    if (c == '.') {
      step = Step.DOT;
    } else if (c == 'e' || c == 'E') {
      step = Step.E;
    } else {
      endValue(c);
    }
  }

  private void eSign(int c) {
    if (isDigit(c)) {
      step = Step.E0;
    } else {
      fail(c, "in exponent of numeric literal");
    }
  }

  private void endValue(int c) {
    if (stack.isEmpty()) {
      step = Step.END_TOP;
      endTop = true;
      step(c);
      return;
    }
    if (isSpace(c)) {
      step = Step.END_VALUE;
      return;
    }
    switch (stack.peek()) {
      case OBJECT_KEY -> {
        if (c == ':') {
          stack.pop();
          stack.push(Container.OBJECT_VALUE);
          step = Step.BEGIN_VALUE;
        } else {
          fail(c, "after object key");
        }
      }
      case OBJECT_VALUE -> {
        if (c == ',') {
          stack.pop();
          stack.push(Container.OBJECT_KEY);
          step = Step.BEGIN_STRING;
        } else if (c == '}') {
          pop();
        } else {
          fail(c, "after object key:value pair");
        }
      }
      case ARRAY_VALUE -> {
        if (c == ',') {
          step = Step.BEGIN_VALUE;
        } else if (c == ']') {
          pop();
        } else {
          fail(c, "after array element");
        }
      }
    }
  }

  /**
   * Go's quoteChar: the byte as the rune of the same number, quoted as strconv.Quote would (the
   * first byte of an e with an acute accent shows as an A with a tilde), an apostrophe escaped.
   */
  static String quoteChar(int b) {
    if (b == '\'') {
      return "'\\''";
    }
    if (b == '"') {
      return "'\"'";
    }
    if (b >= 0x20 && b < 0x7f || b >= 0xa1 && b != 0xad) {
      return "'" + (char) b + "'";
    }
    return switch (b) {
      case 0x07 -> "'\\a'";
      case 0x08 -> "'\\b'";
      case 0x0c -> "'\\f'";
      case '\n' -> "'\\n'";
      case '\r' -> "'\\r'";
      case '\t' -> "'\\t'";
      case 0x0b -> "'\\v'";
      default -> b < 0x80 ? String.format("'\\x%02x'", b) : String.format("'\\u%04x'", b);
    };
  }
}
