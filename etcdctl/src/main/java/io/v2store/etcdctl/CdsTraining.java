package io.v2store.etcdctl;

import io.v2store.etcdctl.cli.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Run once at package time under {@code -XX:DumpLoadedClassList} to record the classes a typical
 * command loads, for the class-data sharing archive dumped from that list (bin/etcdctl's at package
 * time, the release's at its first run with each JDK). It answers a few commands from a canned
 * loopback HTTP responder so the HTTP, JSON and printing paths are all exercised without a real
 * server.
 */
public final class CdsTraining {
    private static final String MEMBERS = "{\"members\":[]}";
    private static final String EVENT = "{\"action\":\"set\",\"node\":{\"key\":\"/k\",\"value\":\"v\","
            + "\"modifiedIndex\":2,\"createdIndex\":2},\"prevNode\":{\"key\":\"/k\",\"value\":\"u\","
            + "\"modifiedIndex\":1,\"createdIndex\":1}}";
    private static final int REQUESTS = 4;

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
            final Thread responder = new Thread(() -> serve(server), "cds-responder");
            responder.setDaemon(true);
            responder.start();
            final String endpoint = "http://127.0.0.1:" + server.getLocalPort();
            final ByteArrayOutputStream sink = new ByteArrayOutputStream();
            final PrintStream out = new PrintStream(sink, false, StandardCharsets.UTF_8);
            final Io io = new Io(out, out, new ByteArrayInputStream(new byte[0]), Map.of(), false);
            Main.run(new String[] {"--endpoints", endpoint, "set", "/k", "v"}, io);
            Main.run(new String[] {"--endpoints", endpoint, "--no-sync", "-o", "json", "get", "/k"}, io);
            Main.run(new String[] {"--endpoints", endpoint, "--no-sync", "-o", "extended", "ls", "/k"}, io);
            Main.run(new String[] {"--endpoints", endpoint, "--no-sync", "rm", "/k"}, io);
            Main.run(new String[] {"--endpoints", "http://127.0.0.1:1", "--no-sync", "get", "/k"}, io);
            Main.run(new String[] {"get", "--help"}, io);
        }
    }

    private static void serve(ServerSocket server) {
        for (int i = 0; i < REQUESTS + 2; i++) {
            try (Socket socket = server.accept()) {
                final InputStream in = socket.getInputStream();
                final String head = readHead(in);
                final String body = head.contains("/v2/members") ? MEMBERS : EVENT;
                final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                final OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Etcd-Index: 2\r\n"
                        + "Connection: close\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        final StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        final int length = contentLength(sb.toString());
        for (int i = 0; i < length && in.read() >= 0; i++) {
            // Drain the form body so the client sees the whole exchange complete.
        }
        return sb.toString();
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }
}
