package io.v2store.etcdctl.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;

/**
 * Sends one request to the cluster with the Go client's failover: start at the endpoint that last
 * answered, move on after a connection error or a 5xx, and report every failure when none answered.
 * Plain {@link HttpURLConnection}: it loads far fewer classes than {@code java.net.http.HttpClient},
 * which matters for a tool started once per shell-loop iteration.
 */
public final class HttpTransport {
    private final long timeoutMillis;
    private final String authorization;
    private final PrintStream debug;
    /** For https endpoints; null: the JDK's defaults (its trusted CAs, no client certificate). */
    private final ClientTls tls;
    private List<String> endpoints;
    private int pinned;
    private long deadlineNanos;
    private boolean hasDeadline;

    /** {@code debug} receives the {@code cURL Command:} lines, or is null. */
    public HttpTransport(List<String> endpoints, long timeoutMillis, String authorization, PrintStream debug) {
        this(endpoints, timeoutMillis, authorization, debug, null);
    }

    /** As above; {@code tls} (see {@link ClientTlsFiles}) secures https endpoints, or is null. */
    public HttpTransport(List<String> endpoints, long timeoutMillis, String authorization, PrintStream debug,
                         ClientTls tls) {
        this.tls = tls;
        this.endpoints = List.copyOf(endpoints);
        this.timeoutMillis = timeoutMillis;
        this.authorization = authorization;
        this.debug = debug;
    }

    public List<String> endpoints() {
        return endpoints;
    }

    public void setEndpoints(List<String> newEndpoints) {
        endpoints = List.copyOf(newEndpoints);
        pinned = 0;
    }

    /**
     * Bounds every later request by a whole-command deadline ({@code --total-timeout}). As Go's
     * {@code context.WithTimeout}, one of zero or less is over already.
     */
    public void setDeadline(long totalTimeoutMillis) {
        hasDeadline = true;
        deadlineNanos = System.nanoTime() + Math.max(0, totalTimeoutMillis) * 1_000_000L;
    }

    public void clearDeadline() {
        hasDeadline = false;
    }

    public V2Reply send(V2Request request) throws ClusterUnavailableException, ContextDeadlineException {
        try {
            return send(request, false);
        } catch (EndpointException e) {
            throw new IllegalStateException("only a one-shot request stops at one endpoint", e);
        }
    }

    /**
     * Go's one-shot actions (a delete, a create): once an endpoint may have received the request
     * (it timed out waiting for the answer, closed the connection, or answered 5xx), the next
     * endpoint is not tried, since the retry could find the first one's work done ("Key already
     * exists", "Key not found") and report a failure for a request that succeeded. The
     * endpoint's own error is thrown, as Go's client returns it. An endpoint that could not be
     * connected to never got the request, and the next one is tried; when none could be, the
     * first one's error is thrown.
     */
    public V2Reply sendOneShot(V2Request request) throws ClusterUnavailableException,
            ContextDeadlineException, EndpointException {
        return send(request, true);
    }

    private V2Reply send(V2Request request, boolean oneShot) throws ClusterUnavailableException,
            ContextDeadlineException, EndpointException {
        final List<String> errors = new ArrayList<>();
        boolean allConnectionErrors = true;
        final int n = endpoints.size();
        for (int i = pinned; i < pinned + n; i++) {
            final int k = i % n;
            final String endpoint = endpoints.get(k);
            final String url = endpoint + request.pathAndQuery();
            if (debug != null) {
                debug.println("cURL Command: curl -X " + request.method() + " " + url
                        + (request.body() == null ? "" : " -d " + goQuote(request.body())));
                debug.flush();
            }
            final V2Reply reply;
            try {
                reply = exchange(url, request);
            } catch (EndpointFailure failure) {
                if (oneShot && !failure.unsent) {
                    throw new EndpointException(failure.getMessage());
                }
                errors.add(failure.getMessage());
                allConnectionErrors &= failure.connection;
                continue;
            }
            if (reply.status() / 100 == 5) {
                allConnectionErrors = false;
                errors.add(reply.status() == 500 || reply.status() == 503
                        ? "client: etcd member " + endpoint + " has no leader"
                        : "client: etcd member " + endpoint + " returns server error [" + statusText(reply.status()) + "]");
                if (oneShot) {
                    throw new EndpointException(errors.get(errors.size() - 1));
                }
                continue;
            }
            pinned = k;
            return reply;
        }
        if (oneShot && !errors.isEmpty()) {
            // No endpoint could be connected to. Go's client ends a one-shot request at the first
            // endpoint's error, whatever it was: that error alone, not the cluster's.
            throw new EndpointException(errors.get(0));
        }
        throw new ClusterUnavailableException(errors, allConnectionErrors);
    }

    /** One plain request to the first endpoint: no failover, any status is an answer (Go's http.Get). */
    public V2Reply fetchOnce(V2Request request) throws ClusterUnavailableException, ContextDeadlineException {
        try {
            return exchange(endpoints.get(0) + request.pathAndQuery(), request);
        } catch (EndpointFailure failure) {
            throw new ClusterUnavailableException(List.of(failure.getMessage()), failure.connection);
        }
    }

    private V2Reply exchange(String url, V2Request request) throws EndpointFailure, ContextDeadlineException {
        final int schemeEnd = url.indexOf(':');
        final String scheme = schemeEnd < 0 ? "" : url.substring(0, schemeEnd);
        if (!scheme.equals("http") && !scheme.equals("https") || !url.startsWith(scheme + "://")) {
            throw new EndpointFailure("unsupported protocol scheme \"" + scheme + "\"", false, true);
        }
        final long attemptMillis = attemptTimeoutMillis();
        HttpURLConnection conn = null;
        try {
            final URL parsed = new URL(url);
            if (request.longPoll() && scheme.equals("http")) {
                return LongPollSocket.get(bare(parsed.getHost()),
                        parsed.getPort() < 0 ? 80 : parsed.getPort(), parsed.getFile(), authorization,
                        (int) attemptMillis);
            }
            conn = (HttpURLConnection) parsed.openConnection();
            if (conn instanceof HttpsURLConnection https) {
                if (tls != null) {
                    tls.apply(https);
                }
                if (request.longPoll()) {
                    https.setSSLSocketFactory(LongPollSocket.keepingAlive(https.getSSLSocketFactory()));
                }
            }
            conn.setRequestMethod(request.method());
            conn.setConnectTimeout((int) attemptMillis);
            conn.setReadTimeout(request.longPoll() ? 0 : (int) attemptMillis);
            if (authorization != null) {
                conn.setRequestProperty("Authorization", authorization);
            }
            if (request.body() != null) {
                conn.setDoOutput(true);
                conn.setRequestProperty("Content-Type", request.contentType());
                final byte[] bytes = request.body().getBytes(StandardCharsets.UTF_8);
                // Not streamed (setFixedLengthStreamingMode): a streamed request answered 401
                // makes HttpURLConnection drop the answer's body ("cannot retry due to server
                // authentication"), and v2 auth's refusal is in that body. Buffered, it still
                // goes out with a Content-Length, as Go sends it.
                try (OutputStream out = conn.getOutputStream()) {
                    out.write(bytes);
                }
            }
            final int status = conn.getResponseCode();
            final InputStream in = status >= 400 ? conn.getErrorStream() : conn.getInputStream();
            final String body = in == null ? "" : readAll(in);
            final String index = conn.getHeaderField("X-Etcd-Index");
            return new V2Reply(status, parseIndex(index), body);
        } catch (IOException e) {
            if (conn != null) {
                conn.disconnect();
            }
            // An attempt cut to what was left of --total-timeout times out with it: its timer,
            // in whole milliseconds, may fire a moment before the deadline's own nanoseconds.
            final boolean cutByDeadline = hasDeadline && e instanceof java.net.SocketTimeoutException
                    && (timeoutMillis <= 0 || attemptMillis < timeoutMillis);
            if (hasDeadline && System.nanoTime() >= deadlineNanos || cutByDeadline) {
                throw new ContextDeadlineException();
            }
            throw describe(e, url);
        }
    }

    /** An IPv6 literal without its brackets. */
    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private long attemptTimeoutMillis() throws ContextDeadlineException {
        if (!hasDeadline) {
            return timeoutMillis;
        }
        final long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000L;
        if (remainingMillis <= 0) {
            throw new ContextDeadlineException();
        }
        return timeoutMillis <= 0 ? remainingMillis : Math.min(timeoutMillis, remainingMillis);
    }

    private static EndpointFailure describe(IOException e, String url) {
        final String hostPort = hostPort(url);
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            final String reason = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            final String goReason = reason.contains("refused") ? "connection refused"
                    : reason.contains("timed out") ? "i/o timeout" : reason.contains("no route") ? "no route to host" : reason;
            return new EndpointFailure("dial tcp " + hostPort + ": connect: " + goReason, true, true);
        }
        if (e instanceof UnknownHostException) {
            final String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
            return new EndpointFailure("dial tcp: lookup " + host + ": no such host", true, true);
        }
        if (e instanceof SSLException) {
            return new EndpointFailure(TlsErrors.goMessage((SSLException) e), false);
        }
        if (url.startsWith("https:") && TlsErrors.refusedMidHandshake(e)) {
            return new EndpointFailure(TlsErrors.REFUSED_CERTIFICATE, false);
        }
        if (e instanceof SocketTimeoutException) {
            final boolean connecting = String.valueOf(e.getMessage()).contains("connect");
            return connecting
                    ? new EndpointFailure("dial tcp " + hostPort + ": i/o timeout", true, true)
                    : new EndpointFailure("client: endpoint " + url.substring(0, url.indexOf('/', url.indexOf("://") + 3))
                    + " exceeded header timeout", false);
        }
        if ("Unexpected end of file from server".equals(e.getMessage())) {
            // closed before any answer (plain http to a TLS port, say); Go's client says EOF,
            // which its isConnectionError does not count as one (a failed sync then goes on to
            // the command, which exits 4, not 2)
            return new EndpointFailure("EOF", false);
        }
        return new EndpointFailure(String.valueOf(e.getMessage()), true);
    }

    private static String hostPort(String url) {
        final int start = url.indexOf("://") + 3;
        int end = url.indexOf('/', start);
        if (end < 0) {
            end = url.length();
        }
        final String authority = url.substring(start, end);
        final boolean hasPort = authority.lastIndexOf(':') > authority.lastIndexOf(']');
        return hasPort ? authority : authority + (url.startsWith("https") ? ":443" : ":80");
    }

    private static long parseIndex(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String readAll(InputStream in) throws IOException {
        try (in) {
            final ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        }
    }

    /** Go's {@code %q} for the ASCII bodies etcdctl sends. */
    static String goQuote(String s) {
        final StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\t': sb.append("\\t"); break;
                case '\r': sb.append("\\r"); break;
                default:
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }

    private static String statusText(int status) {
        switch (status) {
            case 501: return "Not Implemented";
            case 502: return "Bad Gateway";
            case 504: return "Gateway Timeout";
            case 505: return "HTTP Version Not Supported";
            default: return "";
        }
    }

    /** One endpoint did not answer; {@code connection} mirrors Go's {@code isConnectionError}. */
    private static final class EndpointFailure extends Exception {
        final boolean connection;
        /** Failed while connecting: the request surely never reached the server. */
        final boolean unsent;

        EndpointFailure(String message, boolean connection) {
            this(message, connection, false);
        }

        EndpointFailure(String message, boolean connection, boolean unsent) {
            super(message, null, false, false);
            this.connection = connection;
            this.unsent = unsent;
        }
    }
}
