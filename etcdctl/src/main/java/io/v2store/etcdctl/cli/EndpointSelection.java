package io.v2store.etcdctl.cli;

import java.util.ArrayList;
import java.util.List;

/** Picks the endpoint list from flags and environment with etcdctl's precedence (spec 13.2). */
public final class EndpointSelection {
    static final String DEFAULT_ENDPOINTS = "http://127.0.0.1:2379,http://127.0.0.1:4001";

    private EndpointSelection() {
    }

    public static List<String> choose(GlobalOptions opts, Io io) {
        String chosen = nonNull(opts.endpoints());
        if (chosen.isEmpty()) {
            chosen = io.env("ETCDCTL_ENDPOINTS");
        }
        if (chosen.isEmpty()) {
            chosen = nonNull(opts.endpoint());
        }
        if (chosen.isEmpty()) {
            chosen = io.env("ETCDCTL_ENDPOINT");
        }
        if (chosen.isEmpty()) {
            chosen = nonNull(opts.peers());
        }
        if (chosen.isEmpty()) {
            chosen = io.env("ETCDCTL_PEERS");
        }
        if (chosen.isEmpty()) {
            chosen = DEFAULT_ENDPOINTS;
        }
        final List<String> out = new ArrayList<>();
        for (String ep : chosen.split(",", -1)) {
            out.add(normalise(ep));
        }
        return out;
    }

    /** Go's {@code url.Parse} outcome for the forms people write; a bare {@code host:port} is an error. */
    static String normalise(String ep) {
        final int colon = ep.indexOf(':');
        final boolean schemeLike = colon > 0 && ep.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*");
        if (!schemeLike && colon >= 0 && (ep.indexOf('/') < 0 || ep.indexOf('/') > colon)) {
            throw new CliExit(ExitCodes.BAD_ARGS,
                    "parse \"" + ep + "\": first path segment in URL cannot contain colon\n");
        }
        String url = schemeLike ? ep : "http://" + ep;
        while (url.endsWith("/") && !url.endsWith("://")) {
            url = url.substring(0, url.length() - 1);
        }
        return url;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
