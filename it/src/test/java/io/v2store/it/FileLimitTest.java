package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More clients than the member's open file limit: the connections past what the limit leaves room
 * for wait in the backlog (the member says so once), the member never runs out of descriptors,
 * so writes go on through the connections it holds (the Raft log opens new files as it is
 * written: out of descriptors, the member had to stop), and the waiting clients are served once
 * others leave.
 */
class FileLimitTest {
    private static final Path BIN = Path.of(System.getProperty("user.dir")).resolve("../bin").normalize();
    private static final int LIMIT = 256;
    /** Enough to roll the Raft log's write-ahead log and flush its tables several times. */
    private static final int WRITES = 200;
    private static final int VALUE_BYTES = 100_000;

    @TempDir
    Path dir;

    @Test
    void aMemberWithMoreClientsThanFileDescriptorsKeepsWritingAndRecovers() throws Exception {
        String clientUrl = "http://127.0.0.1:" + FreePorts.next();
        String peerUrl = "http://127.0.0.1:" + FreePorts.next();
        Path log = dir.resolve("etcd.log");
        Process etcd = new ProcessBuilder("bash", "-c", "ulimit -n " + LIMIT + " && exec \"$0\" \"$@\"",
            BIN.resolve("etcd").toString(), "--data-dir", dir.resolve("data").toString(),
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", "default=" + peerUrl)
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<Socket> clients = new ArrayList<>();
        try {
            Poll.require(Duration.ofSeconds(60), "bin/etcd to serve (" + log + ")",
                () -> !etcd.isAlive() || Poll.healthy(clientUrl));
            assertTrue(etcd.isAlive(), "bin/etcd exited:\n" + Files.readString(log));
            int port = Integer.parseInt(clientUrl.substring(clientUrl.lastIndexOf(':') + 1));
            HttpClient writer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            assertEquals(200, writer.send(HttpRequest.newBuilder(URI.create(clientUrl + "/version")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
            // connections the kernel queues beyond what is accepted wait in the backlog, connected
            for (int i = 0; i < LIMIT + 50; i++) {
                clients.add(new Socket());
                clients.get(i).connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            }
            Poll.require(Duration.ofSeconds(30), "the member to say new connections wait (" + log + ")",
                () -> read(log).contains("leaves room for; new ones wait until one closes"));
            // the writer's kept-alive connection was accepted before the others
            Random random = new Random(1);
            for (int i = 0; i < WRITES; i++) {
                byte[] value = new byte[VALUE_BYTES / 2];
                random.nextBytes(value);
                HttpResponse<String> answer = writer.send(HttpRequest.newBuilder(URI.create(clientUrl + "/v2/keys/k/" + i))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .PUT(HttpRequest.BodyPublishers.ofString("value=" + HexFormat.of().formatHex(value)))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(201, answer.statusCode(), "write " + i + ": " + answer.body() + "\n" + read(log));
            }
            assertTrue(etcd.isAlive(), read(log));
            assertFalse(read(log).contains("Too many open files"), read(log));
            assertEquals(1, read(log).lines().filter(l -> l.contains("new ones wait")).count(),
                "said once:\n" + read(log));
            for (Socket s : clients) s.close();
            clients.clear();
            Poll.require(Duration.ofSeconds(30), "the member to serve new clients again", () -> Poll.healthy(clientUrl));
        } finally {
            for (Socket s : clients) s.close();
            Processes.stop(etcd.pid(), Duration.ofSeconds(10));
        }
    }

    /**
     * The peer port out of descriptors (it has no budget: its callers are the members) says so in
     * one line a second, as the client port did and etcd does, not Netty's "reached the tail of
     * the pipeline" warning each time, and answers again once the callers leave.
     */
    @Test
    void aPeerPortOutOfFileDescriptorsSaysSoAndRecovers() throws Exception {
        String clientUrl = "http://127.0.0.1:" + FreePorts.next();
        String peerUrl = "http://127.0.0.1:" + FreePorts.next();
        Path log = dir.resolve("etcd.log");
        Process etcd = new ProcessBuilder("bash", "-c", "ulimit -n " + LIMIT + " && exec \"$0\" \"$@\"",
            BIN.resolve("etcd").toString(), "--data-dir", dir.resolve("data").toString(),
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", "default=" + peerUrl)
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<Socket> callers = new ArrayList<>();
        try {
            Poll.require(Duration.ofSeconds(60), "bin/etcd to serve (" + log + ")",
                () -> !etcd.isAlive() || Poll.healthy(clientUrl));
            assertTrue(etcd.isAlive(), "bin/etcd exited:\n" + Files.readString(log));
            int port = Integer.parseInt(peerUrl.substring(peerUrl.lastIndexOf(':') + 1));
            for (int i = 0; i < LIMIT + 50; i++) {
                callers.add(new Socket());
                callers.get(i).connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            }
            Poll.require(Duration.ofSeconds(30), "two accept errors on the peer port (" + log + ")",
                () -> read(log).lines().filter(l -> l.contains("accept error on peer port")).count() >= 2);
            assertTrue(read(log).contains("Too many open files; retrying in 1000 ms"), read(log));
            assertFalse(read(log).contains("reached at the tail of the pipeline"), read(log));
            for (Socket s : callers) s.close();
            callers.clear();
            Poll.require(Duration.ofSeconds(30), "the peer port to answer again",
                () -> Poll.body(peerUrl + "/members").contains("peerURLs"));
            assertTrue(etcd.isAlive(), read(log));
        } finally {
            for (Socket s : callers) s.close();
            Processes.stop(etcd.pid(), Duration.ofSeconds(10));
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
