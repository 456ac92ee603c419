package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.ClientTls;
import io.v2store.etcdctl.client.ClientTlsFiles;
import io.v2store.etcdctl.client.ClusterUnavailableException;
import io.v2store.etcdctl.client.ContextDeadlineException;
import io.v2store.etcdctl.client.HttpTransport;
import io.v2store.etcdctl.client.KeysClient;
import io.v2store.etcdctl.client.Member;
import io.v2store.etcdctl.client.MembersClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What every command needs from the global flags: the output format, and a client connected the way
 * Go etcdctl's {@code mustNewClient} connects (endpoint sync through {@code /v2/members} unless
 * {@code --no-sync}, with its debug lines and exit codes).
 */
public final class Session {
    private final GlobalOptions opts;
    private final Io io;
    private ClientTls tls;
    private boolean tlsLoaded;

    public Session(GlobalOptions opts, Io io) {
        this.opts = opts;
        this.io = io;
    }

    public Io io() {
        return io;
    }

    public boolean debug() {
        return opts.debug();
    }

    public String output() {
        return opts.output();
    }

    /** --timeout; zero when none (Go's client has no per-request timeout for one of zero or less). */
    public long timeoutMillis() {
        return Math.max(0, parseDuration(opts.timeout(), "timeout"));
    }

    public long totalTimeoutMillis() {
        return parseDuration(opts.totalTimeout(), "total-timeout");
    }

    /** A client after the optional sync; later requests share the whole-command deadline. */
    public HttpTransport connect() {
        return connect(!opts.noSync());
    }

    public HttpTransport connect(boolean sync) {
        final List<String> endpoints = EndpointSelection.choose(opts, io);
        final HttpTransport transport = new HttpTransport(endpoints, timeoutMillis(),
                authorization(), opts.debug() ? io.err() : null, tls());
        if (sync) {
            sync(transport);
        }
        if (opts.debug()) {
            io.err().print("Cluster-Endpoints: " + String.join(", ", transport.endpoints()) + "\n");
        }
        transport.setDeadline(totalTimeoutMillis());
        return transport;
    }

    /** The TLS files and server name (null: none given); a bad file ends the command like Go's. */
    public ClientTls tls() {
        if (!tlsLoaded) {
            try {
                tls = ClientTlsFiles.load(opts.certFile(), opts.keyFile(), opts.caFile(),
                        opts.tlsServerName());
            } catch (IOException e) {
                throw new CliExit(ExitCodes.BAD_ARGS, e.getMessage() + "\n");
            }
            tlsLoaded = true;
        }
        return tls;
    }

    public KeysClient keys() {
        return new KeysClient(connect());
    }

    private void sync(HttpTransport transport) {
        if (opts.debug()) {
            io.err().print("start to sync cluster using endpoints(" + String.join(",", transport.endpoints()) + ")\n");
        }
        transport.setDeadline(totalTimeoutMillis());
        try {
            final List<String> synced = new ArrayList<>();
            for (Member m : new MembersClient(transport).list()) {
                synced.addAll(m.clientUrls());
            }
            if (synced.isEmpty()) {
                io.err().print("etcd cluster has no published client endpoints.\n");
                io.err().print("Try '--no-sync' if you want to access non-published client endpoints("
                        + String.join(",", transport.endpoints()) + ").\n");
                throw CliExit.error(ExitCodes.SERVER_ERROR, "client: no endpoints available");
            }
            synced.sort(null);
            final List<String> normalised = new ArrayList<>();
            for (String url : synced) {
                normalised.add(EndpointSelection.normalise(url));
            }
            transport.setEndpoints(normalised);
        } catch (ClusterUnavailableException e) {
            if (e.isConnectionError()) {
                throw CliExit.error(ExitCodes.BAD_CONNECTION, e);
            }
        } catch (ContextDeadlineException e) {
            // Go's context.DeadlineExceeded is a net.Error that timed out: a connection error.
            throw CliExit.error(ExitCodes.BAD_CONNECTION, e);
        } catch (CliExit e) {
            throw e;
        } catch (Exception e) {
            // Like the Go client: a sync that fails for any other reason keeps the given endpoints.
        }
        if (opts.debug()) {
            io.err().print("got endpoints(" + String.join(",", transport.endpoints()) + ") after sync\n");
        }
    }

    private String authorization() {
        final String user = opts.username() != null && !opts.username().isEmpty()
                ? opts.username() : io.env("ETCDCTL_USERNAME");
        if (user.isEmpty()) {
            return null;
        }
        String pair = user;
        if (!user.contains(":")) {
            // As Go etcdctl: prompt (speakeasy) even when stdin is no terminal, and read the line from it.
            try {
                pair = user + ":" + PasswordPrompt.ask(io, "Password: ");
            } catch (PasswordPrompt.PromptException e) {
                throw new CliExit(ExitCodes.BAD_ARGS, e.getMessage() + "\n");
            }
        }
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static long parseDuration(String text, String flag) {
        try {
            return GoDuration.parseMillis(text);
        } catch (IllegalArgumentException e) {
            // Go's flag package says no more than this of a value it cannot parse.
            throw new CliExit(ExitCodes.BAD_ARGS, "invalid value \"" + text + "\" for flag -" + flag + ": parse error\n");
        }
    }
}
