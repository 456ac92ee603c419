package io.v2store.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deliberately small HTTP/1.1 client over a plain socket, so that requests go out byte for
 * byte as written (no path cleaning, no re-encoding). One connection per exchange.
 */
final class RawHttp {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private RawHttp() {
    }

    static RawResponse send(URI server, RawRequest request) {
        try (Exchange exchange = open(server, request, DEFAULT_TIMEOUT)) {
            return exchange.finish();
        }
    }

    /** Sends the request and reads the status line and headers; the body is read by {@link Exchange#finish}. */
    static Exchange open(URI server, RawRequest request, Duration timeout) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            byte[] body = request.body().map(b -> b.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
            StringBuilder head = new StringBuilder();
            head.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(server.getHost()).append(':').append(server.getPort()).append("\r\n");
            head.append("Connection: close\r\n");
            request.contentType().ifPresent(t -> head.append("Content-Type: ").append(t).append("\r\n"));
            request.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            boolean sendsLength = request.body().isPresent() || request.method().equals("PUT")
                || request.method().equals("POST");
            if (sendsLength) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String statusLine = readLine(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("bad status line: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            List<RawResponse.Header> headers = new ArrayList<>();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                headers.add(new RawResponse.Header(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
            }
            return new Exchange(socket, in, request.method(), status, headers);
        } catch (IOException e) {
            throw new UncheckedIOException("HTTP " + request + " to " + server + " failed", e);
        }
    }

    /** An exchange whose headers have arrived; the body may still be on its way (a watch). */
    static final class Exchange implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final String method;
        private final int status;
        private final List<RawResponse.Header> headers;

        private Exchange(Socket socket, InputStream in, String method, int status, List<RawResponse.Header> headers) {
            this.socket = socket;
            this.in = in;
            this.method = method;
            this.status = status;
            this.headers = headers;
        }

        int status() {
            return status;
        }

        /** The status and headers that have arrived, with no body yet. */
        RawResponse headersOnly() {
            return new RawResponse(status, headers, "");
        }

        /** Reads the whole body (bounded by the socket timeout) and closes the connection. */
        RawResponse finish() {
            try {
                RawResponse partial = new RawResponse(status, headers, "");
                byte[] body;
                if (method.equals("HEAD") || status == 204 || status == 304) {
                    body = new byte[0];
                } else if (partial.header("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
                    .orElse(false)) {
                    body = readChunked(in);
                } else if (partial.header("Content-Length").isPresent()) {
                    body = in.readNBytes(Integer.parseInt(partial.header("Content-Length").get()));
                } else {
                    body = in.readAllBytes();
                }
                return new RawResponse(status, headers, new String(body, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("reading the body failed", e);
            } finally {
                close();
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip(), 16);
            if (size == 0) {
                // trailers end with an empty line
                skipTrailers(in);
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            readLine(in);
        }
    }

    private static void skipTrailers(InputStream in) throws IOException {
        String line;
        do {
            line = readLine(in);
        } while (!line.isEmpty());
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.size() == 0) {
                    throw new EOFException("connection closed");
                }
                break;
            }
            if (b == '\n') {
                break;
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
