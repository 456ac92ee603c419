package io.v2store.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs a {@link Script} against one server and returns one observation per observed step. */
final class ScriptRunner {

    /**
     * {@code {{N}}}: index N relative to the start; {@code {{last}}}: the latest non-zero
     * X-Etcd-Index seen; {@code {{last-N}}}: N before that. {@code {{N|padded}}}: index N written
     * in 20 digits, as the name of a key POST made at that index.
     */
    private static final Pattern INDEX_TEMPLATE =
        Pattern.compile("\\{\\{(\\d+|last(?:-(\\d+))?)(\\|padded)?}}");
    /** Bounds both the wait for a watch's headers and for its event (expiry takes up to ~1.6 s). */
    private static final Duration WATCH_TIMEOUT = Duration.ofSeconds(8);
    private static final Duration AWAIT_TIMEOUT = Duration.ofSeconds(10);

    private final ServerContext context;
    private final Normaliser normaliser;
    private long lastIndex;

    ScriptRunner(ServerContext context) {
        this.context = context;
        this.normaliser = new Normaliser(context);
    }

    List<Observation> run(Script script) {
        List<Observation> observations = new ArrayList<>();
        Map<String, RawHttp.Exchange> watches = new HashMap<>();
        Map<String, RawRequest> watchRequests = new HashMap<>();
        try {
            for (Script.Step step : script.steps()) {
                observations.add(execute(step, watches, watchRequests));
            }
        } finally {
            watches.values().forEach(RawHttp.Exchange::close);
        }
        return observations;
    }

    private Observation execute(Script.Step step, Map<String, RawHttp.Exchange> watches,
                                Map<String, RawRequest> watchRequests) {
        String label = describe(step);
        try {
            if (step instanceof Script.Send send) {
                RawRequest request = resolve(send.request());
                return observe(label, request, RawHttp.send(context.server().clientUrl(), request));
            }
            if (step instanceof Script.Repeat repeat) {
                RawRequest request = resolve(repeat.request());
                RawResponse last = null;
                for (int i = 0; i < repeat.times(); i++) {
                    last = RawHttp.send(context.server().clientUrl(), request);
                }
                return observe(label, request, last);
            }
            if (step instanceof Script.OpenWatch open) {
                RawRequest request = resolve(open.request());
                RawHttp.Exchange exchange = RawHttp.open(context.server().clientUrl(), request, WATCH_TIMEOUT);
                watches.put(open.label(), exchange);
                watchRequests.put(open.label(), request);
                // Headers only: the event has not happened yet.
                return normaliser.normalise(label, request, exchange.headersOnly());
            }
            if (step instanceof Script.FinishWatch finish) {
                RawHttp.Exchange exchange = watches.remove(finish.label());
                if (exchange == null) {
                    return Observation.failure(label, "watch " + finish.label() + " was not opened");
                }
                return observe(label, watchRequests.get(finish.label()), exchange.finish());
            }
            Script.AwaitStatus await = (Script.AwaitStatus) step;
            RawRequest request = resolve(await.request());
            RawResponse[] last = new RawResponse[1];
            Poll.until(AWAIT_TIMEOUT, () -> {
                last[0] = RawHttp.send(context.server().clientUrl(), request);
                return last[0].status() == await.status();
            });
            return observe(label, request, last[0]);
        } catch (RuntimeException e) {
            return Observation.failure(label, e.toString());
        }
    }

    private Observation observe(String label, RawRequest request, RawResponse response) {
        response.header("X-Etcd-Index").map(Long::parseLong).filter(i -> i != 0).ifPresent(i -> lastIndex = i);
        return normaliser.normalise(label, request, response);
    }

    private RawRequest resolve(RawRequest request) {
        RawRequest resolved = request.withTarget(substitute(request.target()));
        return resolved.withBody(request.body().map(this::substitute));
    }

    private String substitute(String text) {
        Matcher m = INDEX_TEMPLATE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            long value = !m.group(1).startsWith("last") ? context.absolute(Long.parseLong(m.group(1)))
                : lastIndex - (m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
            m.appendReplacement(out, m.group(3) != null ? String.format("%020d", value) : Long.toString(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String describe(Script.Step step) {
        if (step instanceof Script.Send send) {
            return send.request().toString();
        }
        if (step instanceof Script.Repeat repeat) {
            return repeat.times() + " x " + repeat.request();
        }
        if (step instanceof Script.OpenWatch open) {
            return "open watch " + open.label() + ": " + open.request();
        }
        if (step instanceof Script.FinishWatch finish) {
            return "finish watch " + finish.label();
        }
        Script.AwaitStatus await = (Script.AwaitStatus) step;
        return "await " + await.status() + " from " + await.request();
    }

    static Optional<String> diff(String script, String labelA, List<Observation> a, String labelB, List<Observation> b) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            Observation x = i < a.size() ? a.get(i) : null;
            Observation y = i < b.size() ? b.get(i) : null;
            if (x != null && y != null && x.matches(y)) {
                continue;
            }
            out.append("  step ").append(i + 1).append(": ").append(x != null ? x.step() : y.step()).append('\n');
            out.append("   ").append(labelA).append(":\n").append(x == null ? "    (none)\n" : x.render());
            out.append("   ").append(labelB).append(":\n").append(y == null ? "    (none)\n" : y.render());
        }
        return out.length() == 0 ? Optional.empty()
            : Optional.of("script '" + script + "' differs:\n" + out);
    }
}
