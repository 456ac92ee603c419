package io.v2store.etcdctl.golden;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites what legitimately differs between two runs of one script against one server: etcd indexes
 * (as {@code #N}, relative to the run's starting index), expiration times and remaining TTLs.
 */
public final class TranscriptNormalizer {
    private static final Pattern INDEX = Pattern.compile(
            "(Created-Index: |Modified-Index: |Index: |\"createdIndex\":|\"modifiedIndex\":|"
                    + "ETCD_WATCH_MODIFIED_INDEX=|waitIndex=| != |\\(\\[)(\\d+)|\\[(\\d+)]$|/(\\d{20})\\b",
            Pattern.MULTILINE);
    private static final Pattern EXPIRATION = Pattern.compile("\"expiration\":\"[^\"]*\"");
    private static final Pattern JSON_TTL = Pattern.compile("\"ttl\":\\d+");
    private static final Pattern TEXT_TTL = Pattern.compile("^TTL: [1-9]\\d*$", Pattern.MULTILINE);

    private TranscriptNormalizer() {
    }

    public static String normalise(String text, long baseIndex) {
        String s = EXPIRATION.matcher(text).replaceAll("\"expiration\":\"<expiration>\"");
        s = JSON_TTL.matcher(s).replaceAll("\"ttl\":<ttl>");
        s = TEXT_TTL.matcher(s).replaceAll("TTL: <ttl>");
        final Matcher m = INDEX.matcher(s);
        final StringBuilder sb = new StringBuilder();
        while (m.find()) {
            final String replacement;
            if (m.group(2) != null) {
                replacement = m.group(1) + relative(m.group(2), baseIndex);
            } else if (m.group(3) != null) {
                replacement = "[" + relative(m.group(3), baseIndex) + "]";
            } else {
                replacement = "/" + relative(m.group(4), baseIndex);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String relative(String digits, long baseIndex) {
        final long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException beyondLong) {
            return digits; // no etcd index: a Go uint64 as sent (an index given as -1)
        }
        return n >= baseIndex && n > 0 ? "#" + (n - baseIndex) : digits;
    }
}
