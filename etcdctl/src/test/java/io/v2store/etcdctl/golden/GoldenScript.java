package io.v2store.etcdctl.golden;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A scripted etcdctl session, one command per line, written like shell words ('single', "double"
 * with \" \\ \n escapes). Each command gets {@code --endpoints <url>} in front unless the line starts
 * with {@code !raw}. A first word {@code <"text"} is fed as stdin. In arguments, {@code ${url}} is the
 * endpoint and {@code ${idx+N}} is the etcd index at the start of the run plus N. Lines starting
 * with {@code #} are comments. All keys a script touches must live under {@code /g}.
 */
public record GoldenScript(String name, List<Step> steps) {
    public static final String NAMESPACE = "/g";

    /** One command: its words (placeholders unexpanded), stdin, and whether endpoints are added. */
    public record Step(String line, List<String> words, String stdin, boolean raw) {
    }

    public static GoldenScript load(String resource) throws IOException {
        try (InputStream in = GoldenScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no test resource " + resource);
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    public static GoldenScript parse(String name, String text) {
        final List<Step> steps = new ArrayList<>();
        for (String line : text.split("\n")) {
            final String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            List<String> words = split(trimmed);
            boolean raw = false;
            String stdin = "";
            if (words.get(0).equals("!raw")) {
                raw = true;
                words = words.subList(1, words.size());
            }
            if (!words.isEmpty() && words.get(0).startsWith("<")) {
                stdin = words.get(0).substring(1);
                words = words.subList(1, words.size());
            }
            steps.add(new Step(trimmed, List.copyOf(words), stdin, raw));
        }
        return new GoldenScript(name, List.copyOf(steps));
    }

    static List<String> split(String line) {
        final List<String> words = new ArrayList<>();
        final StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (c == '\'') {
                final int end = line.indexOf('\'', i + 1);
                cur.append(line, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                i++;
                for (; line.charAt(i) != '"'; i++) {
                    char d = line.charAt(i);
                    if (d == '\\') {
                        d = line.charAt(++i);
                        cur.append(d == 'n' ? '\n' : d == 't' ? '\t' : d);
                    } else {
                        cur.append(d);
                    }
                }
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }
}
