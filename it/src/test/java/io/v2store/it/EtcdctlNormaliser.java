package io.v2store.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalises etcdctl's text like {@link Normaliser} does HTTP: indexes in {@code Created-Index:},
 * {@code Modified-Index:}, {@code Index:} lines and in the {@code [N]} of error lines become
 * relative; JSON lines go through the HTTP normaliser; ids and URLs become placeholders. The help
 * printed after an {@code Incorrect Usage} line becomes {@code <help>}.
 */
final class EtcdctlNormaliser {

    private static final Pattern INDEX_LINE = Pattern.compile("^(Created-Index|Modified-Index|Index): (\\d+)$");
    private static final Pattern ERROR_INDEX = Pattern.compile("^(Error: .*) \\[(\\d+)]$");

    private final ServerContext context;
    private final Normaliser normaliser;

    EtcdctlNormaliser(ServerContext context) {
        this.context = context;
        this.normaliser = new Normaliser(context);
    }

    Observation normalise(EtcdctlRun run) {
        List<Long> ttls = new ArrayList<>();
        String out = text(run.stdout(), ttls);
        if (out.startsWith("Incorrect Usage") || out.startsWith("Cannot use two forms of the same flag")) {
            // the help after a usage error is picocli's layout in ours, urfave/cli's in Go's: the
            // line naming the error and which stream the help went to must match, not its layout
            out = out.substring(0, out.indexOf('\n') + 1) + "\n<help>\n";
        } else if (run.args().contains("ls") && !run.args().contains("--sort")) {
            // without --sort the order of a listing is unspecified: compare the lines as a set
            out = out.lines().sorted().collect(java.util.stream.Collectors.joining("\n", "", out.endsWith("\n") ? "\n" : ""));
        }
        String err = text(run.stderr(), ttls);
        return new Observation("etcdctl " + String.join(" ", run.args()), run.exitCode(),
            java.util.Map.of("stderr", err.replace("\n", "\\n")), out.replace("\n", "\\n"), ttls);
    }

    private String text(String text, List<Long> ttls) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            out.append(line(line, ttls)).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    private String line(String line, List<Long> ttls) {
        Matcher index = INDEX_LINE.matcher(line);
        if (index.matches()) {
            return index.group(1) + ": " + context.relative(Long.parseLong(index.group(2)));
        }
        Matcher error = ERROR_INDEX.matcher(line);
        if (error.matches()) {
            return normaliser.normaliseText(error.group(1)) + " [" + context.relative(Long.parseLong(error.group(2))) + "]";
        }
        if (line.startsWith("TTL: ")) {
            ttls.add(Long.parseLong(line.substring(5).strip()));
            return "TTL: <ttl>";
        }
        if (line.startsWith("{")) {
            Observation json = normaliser.normalise("", RawRequest.of("GET", "/v2/keys"),
                new RawResponse(200, List.of(), line));
            ttls.addAll(json.ttls());
            return json.body();
        }
        String replaced = normaliser.normaliseText(line);
        return replaced.replace(context.memberIdHex(), "<member-id>");
    }
}
