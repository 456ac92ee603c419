package io.v2store.etcdctl.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLSocketFactory;
import jdk.net.ExtendedSocketOptions;

/**
 * A watch's long poll over a socket of its own with TCP keep-alive, as Go's client dials: a member
 * that vanishes without closing the connection (power lost, a partition) sends nothing, and only
 * keep-alive tells the watcher, which then moves on to the next endpoint with the same waitIndex.
 * Without it {@code etcdctl watch} and {@code exec-watch} waited for good. {@code
 * HttpURLConnection} offers no way to turn keep-alive on for plain http, hence this small client:
 * one GET, answered by a status line, headers and a body (chunked, sized, or to the end).
 */
final class LongPollSocket {
    /** Go's dialer: the first probe after 30 s of silence, then every 30 s. */
    static final int KEEPALIVE_SECONDS = 30;

    private LongPollSocket() {}

    /** Keep-alive on socket, before it connects. */
    static void keepAlive(Socket socket) throws SocketException {
        socket.setKeepAlive(true);
        try {
            socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, KEEPALIVE_SECONDS);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, KEEPALIVE_SECONDS);
        } catch (UnsupportedOperationException | IOException platformDefault) {
            // the platform's own period: later, but still not never
        }
    }

    /** GET pathAndQuery from the plain http endpoint host:port. */
    static V2Reply get(String host, int port, String pathAndQuery, String authorization,
                       int connectTimeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            keepAlive(socket);
            socket.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            final OutputStream out = socket.getOutputStream();
            final StringBuilder request = new StringBuilder()
                    .append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(hostHeader(host, port)).append("\r\n")
                    .append("Connection: close\r\n");
            if (authorization != null) {
                request.append("Authorization: ").append(authorization).append("\r\n");
            }
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        }
    }

    /** For https through HttpsURLConnection: the same keep-alive on the sockets it makes. */
    static SSLSocketFactory keepingAlive(SSLSocketFactory sockets) {
        return new KeepAliveSslSockets(sockets);
    }

    static V2Reply read(InputStream in) throws IOException {
        final String statusLine = line(in);
        if (statusLine == null) {
            // HttpURLConnection's words, which HttpTransport reads as Go's "EOF"
            throw new IOException("Unexpected end of file from server");
        }
        final String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("malformed HTTP response \"" + statusLine + "\"");
        }
        final int status = parseStatus(parts[1], statusLine);
        long index = 0;
        long length = -1;
        boolean chunked = false;
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            final int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            final String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            final String value = header.substring(colon + 1).trim();
            switch (name) {
                case "x-etcd-index" -> index = parseLong(value, 0);
                case "content-length" -> length = parseLong(value, -1);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                default -> { }
            }
        }
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            readChunks(in, body);
        } else if (length >= 0) {
            copy(in, body, length);
        } else {
            in.transferTo(body);
        }
        return new V2Reply(status, index, body.toString(StandardCharsets.UTF_8));
    }

    private static void readChunks(InputStream in, ByteArrayOutputStream body) throws IOException {
        while (true) {
            final String sizeLine = line(in);
            if (sizeLine == null) {
                throw new EOFException("the answer ended inside its body");
            }
            final int extension = sizeLine.indexOf(';');
            final String hex = (extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim();
            final long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size \"" + sizeLine + "\"");
            }
            if (size == 0) {
                return; // trailers, if any, are not read: the connection is closed next
            }
            copy(in, body, size);
            line(in); // the CRLF after the chunk's data
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream body, long size) throws IOException {
        final byte[] buffer = new byte[8192];
        long left = size;
        while (left > 0) {
            final int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("the answer ended inside its body");
            }
            body.write(buffer, 0, n);
            left -= n;
        }
    }

    /** One line without its CRLF (or bare LF); null at the end of the stream before any byte. */
    private static String line(InputStream in) throws IOException {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        final String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static int parseStatus(String code, String statusLine) throws IOException {
        try {
            return Integer.parseInt(code);
        } catch (NumberFormatException e) {
            throw new IOException("malformed HTTP status code in \"" + statusLine + "\"");
        }
    }

    private static long parseLong(String value, long otherwise) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static String hostHeader(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Hands out its delegate's sockets with keep-alive on. */
    private static final class KeepAliveSslSockets extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        KeepAliveSslSockets(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private static Socket kept(Socket socket) throws IOException {
            keepAlive(socket);
            return socket;
        }

        @Override
        public Socket createSocket() throws IOException {
            return kept(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket plain, String host, int port, boolean autoClose) throws IOException {
            keepAlive(plain);
            return delegate.createSocket(plain, host, port, autoClose);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return kept(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, java.net.InetAddress local, int localPort)
                throws IOException {
            return kept(delegate.createSocket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(java.net.InetAddress host, int port) throws IOException {
            return kept(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress local,
                                   int localPort) throws IOException {
            return kept(delegate.createSocket(address, port, local, localPort));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
