package io.v2store.etcdctl.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader producing {@code Map}/{@code List}/{@code String}/{@code Long}/{@code Double}/
 * {@code Boolean}/{@code null}. etcdctl reads only a handful of small documents per run, and loading
 * a general data-binding library costs more start-up time than the whole request (see README).
 */
public final class JsonReader {
    private final String text;
    private int pos;

    private JsonReader(String text) {
        this.text = text;
    }

    /**
     * Parses one JSON value; trailing whitespace is allowed, anything else is an error. An error's
     * message is Go's json.Unmarshal's for the same input (etcdctl prints it as it is).
     */
    public static Object parse(String text) {
        final JsonReader reader = new JsonReader(text);
        reader.skipWhitespace();
        final Object value = reader.readValue();
        reader.skipWhitespace();
        if (reader.pos != text.length()) {
            throw invalid(text.charAt(reader.pos), "after top-level value");
        }
        return value;
    }

    private Object readValue() {
        if (pos >= text.length()) {
            throw error("unexpected end of JSON input");
        }
        final char c = text.charAt(pos);
        switch (c) {
            case '{': return readObject();
            case '[': return readArray();
            case '"': return readString();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return readNumber();
                }
                throw invalid(c, "looking for beginning of value");
        }
    }

    private Map<String, Object> readObject() {
        final Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw invalid(peek(), "looking for beginning of object key string");
            }
            final String key = readString();
            skipWhitespace();
            final char colon = next();
            if (colon != ':') {
                throw invalid(colon, "after object key");
            }
            skipWhitespace();
            map.put(key, readValue());
            skipWhitespace();
            final char c = next();
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                throw invalid(c, "after object key:value pair");
            }
        }
    }

    private List<Object> readArray() {
        final List<Object> list = new ArrayList<>();
        pos++;
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(readValue());
            skipWhitespace();
            final char c = next();
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                throw invalid(c, "after array element");
            }
        }
    }

    private String readString() {
        pos++;
        final StringBuilder sb = new StringBuilder();
        while (true) {
            final char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            final char e = at(pos++);
            switch (e) {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u':
                    for (int i = 0; i < 4; i++) {
                        final char h = at(pos + i);
                        if (!(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F')) {
                            throw invalid(h, "in \\u hexadecimal character escape");
                        }
                    }
                    sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                    break;
                default: throw invalid(e, "in string escape code");
            }
        }
    }

    /** Go's number grammar: "01" is the number 0 and then a character too many. */
    private Object readNumber() {
        final int start = pos;
        boolean integral = true;
        if (at(pos) == '-') {
            pos++;
            if (!isDigit(at(pos))) {
                throw invalid(at(pos), "in numeric literal");
            }
        }
        if (at(pos) == '0') {
            pos++;
        } else {
            while (isDigit(at(pos))) {
                pos++;
            }
        }
        if (at(pos) == '.') {
            integral = false;
            pos++;
            if (!isDigit(at(pos))) {
                throw invalid(at(pos), "after decimal point in numeric literal");
            }
            while (isDigit(at(pos))) {
                pos++;
            }
        }
        if (at(pos) == 'e' || at(pos) == 'E') {
            integral = false;
            pos++;
            if (at(pos) == '+' || at(pos) == '-') {
                pos++;
            }
            if (!isDigit(at(pos))) {
                throw invalid(at(pos), "in exponent of numeric literal");
            }
            while (isDigit(at(pos))) {
                pos++;
            }
        }
        final String digits = text.substring(start, pos);
        try {
            return integral ? (Object) Long.parseLong(digits) : (Object) Double.parseDouble(digits);
        } catch (NumberFormatException e) {
            throw error("bad number " + digits);
        }
    }

    private Object literal(String word, Object value) {
        for (int i = 1; i < word.length(); i++) {
            final char c = at(pos + i);
            if (c != word.charAt(i)) {
                throw invalid(c, "in literal " + word + " (expecting " + goQuote(word.charAt(i)) + ")");
            }
        }
        pos += word.length();
        return value;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            final char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /**
     * The character at i, or a space past the end: Go's scanner ends its input with a space, so a
     * literal, number or escape cut short names a space (an unterminated string or object is
     * "unexpected end of JSON input").
     */
    private char at(int i) {
        return i < text.length() ? text.charAt(i) : ' ';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end of JSON input");
        }
        return text.charAt(pos);
    }

    private char next() {
        final char c = peek();
        pos++;
        return c;
    }

    private JsonException error(String message) {
        return new JsonException(message);
    }

    /** Go's SyntaxError text for an unexpected character. */
    private static JsonException invalid(char c, String context) {
        return new JsonException("invalid character " + goQuote(c) + " " + context);
    }

    /**
     * Go's quoteChar: Go's scanner sees bytes, so a character beyond ASCII is named by the first
     * byte of its UTF-8 encoding, read as the Latin-1 character of that value (always printable).
     */
    private static String goQuote(char c) {
        if (c == '\'') {
            return "'\\''";
        }
        if (Character.isSurrogate(c)) {
            // a four-byte sequence: 0xF0 to 0xF4 (a lone low surrogate is as good as any)
            return "'" + (char) (0xF0 | (Character.isHighSurrogate(c) ? ((c - 0xD800) + 0x40) >> 8 : 0)) + "'";
        }
        if (c >= 0x80) {
            final byte first = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)[0];
            return "'" + (char) (first & 0xff) + "'";
        }
        final String quoted = switch (c) {
            case 0x07 -> "\\a";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case 0x0b -> "\\v";
            case '\\' -> "\\\\";
            default -> c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c);
        };
        return "'" + quoted + "'";
    }
}
