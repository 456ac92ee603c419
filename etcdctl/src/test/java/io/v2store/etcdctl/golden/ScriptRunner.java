package io.v2store.etcdctl.golden;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a {@link GoldenScript} with one etcdctl against one server endpoint and returns the normalised
 * transcript. Reusable for any v2 server: give it the endpoint URL of a single-member cluster whose
 * {@code /g} subtree may be wiped. Two transcripts are comparable when taken against the same server,
 * one after the other: indexes are rewritten relative to the index at the start of each run.
 */
public final class ScriptRunner {
    private static final Pattern INDEX_PLACEHOLDER = Pattern.compile("\\$\\{idx(?:\\+(\\d+))?}");
    private final String endpointUrl;
    private final EtcdctlInvoker invoker;

    public ScriptRunner(String endpointUrl, EtcdctlInvoker invoker) {
        this.endpointUrl = endpointUrl;
        this.invoker = invoker;
    }

    public String run(GoldenScript script) throws Exception {
        final long baseIndex = wipeNamespace();
        final StringBuilder transcript = new StringBuilder();
        for (GoldenScript.Step step : script.steps()) {
            final List<String> args = new ArrayList<>();
            if (!step.raw()) {
                args.add("--endpoints");
                args.add(endpointUrl);
            }
            for (String word : step.words()) {
                args.add(expand(word, baseIndex));
            }
            final EtcdctlInvoker.Result result = invoker.run(args, expand(step.stdin(), baseIndex));
            transcript.append("$ ").append(step.line()).append('\n')
                    .append("--- stdout\n").append(TranscriptNormalizer.normalise(result.stdout(), baseIndex))
                    .append("--- stderr\n").append(TranscriptNormalizer.normalise(result.stderr(), baseIndex))
                    .append("--- exit ").append(result.exitCode()).append("\n\n");
        }
        return transcript.toString();
    }

    private String expand(String word, long baseIndex) {
        final Matcher m = INDEX_PLACEHOLDER.matcher(word.replace("${url}", endpointUrl));
        final StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Long.toString(baseIndex + (m.group(1) == null ? 0 : Long.parseLong(m.group(1)))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Deletes {@code /g} (if present) and returns the etcd index afterwards. */
    private long wipeNamespace() throws IOException {
        final HttpURLConnection del = (HttpURLConnection) new URL(endpointUrl + "/v2/keys" + GoldenScript.NAMESPACE
                + "?recursive=true").openConnection();
        del.setRequestMethod("DELETE");
        del.getResponseCode();
        del.disconnect();
        final HttpURLConnection get = (HttpURLConnection) new URL(endpointUrl + "/v2/keys/").openConnection();
        get.getResponseCode();
        final long index = Long.parseLong(get.getHeaderField("X-Etcd-Index"));
        get.disconnect();
        return index;
    }
}
