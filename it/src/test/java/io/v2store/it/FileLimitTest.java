package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.testkit.LoopbackPorts;
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
 * others leave. The peer port likewise.
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
        String clientUrl = "http://127.0.0.1:" + LoopbackPorts.next();
        String peerUrl = "http://127.0.0.1:" + LoopbackPorts.next();
        Path log = dir.resolve("etcd.log");
        Process etcd = startUnderLimit(clientUrl, peerUrl, log);
        List<Socket> clients = new ArrayList<>();
        try {
            awaitServing(etcd, clientUrl, log);
            int port = Integer.parseInt(clientUrl.substring(clientUrl.lastIndexOf(':') + 1));
            HttpClient writer = connectedWriter(clientUrl);
            // connections the kernel queues beyond what is accepted wait in the backlog, connected
            for (int i = 0; i < LIMIT + 50; i++) {
                clients.add(new Socket());
                clients.get(i).connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            }
            Poll.require(Duration.ofSeconds(30), "the member to say new connections wait (" + log + ")",
                () -> read(log).contains("leaves room for; new ones wait until one closes"));
            // the writer's kept-alive connection was accepted before the others
            write(writer, clientUrl, log);
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
     * Likewise on the peer port (anyone who reaches it could hold its connections open): past its
     * budget callers wait, the member says so once, writes go on, and it answers peers again once
     * the callers leave.
     */
    @Test
    void aPeerPortWithMoreCallersThanFileDescriptorsKeepsTheMemberWriting() throws Exception {
        String clientUrl = "http://127.0.0.1:" + LoopbackPorts.next();
        String peerUrl = "http://127.0.0.1:" + LoopbackPorts.next();
        Path log = dir.resolve("etcd.log");
        Process etcd = startUnderLimit(clientUrl, peerUrl, log);
        List<Socket> callers = new ArrayList<>();
        try {
            awaitServing(etcd, clientUrl, log);
            HttpClient writer = connectedWriter(clientUrl);
            int port = Integer.parseInt(peerUrl.substring(peerUrl.lastIndexOf(':') + 1));
            for (int i = 0; i < LIMIT + 50; i++) {
                callers.add(new Socket());
                callers.get(i).connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            }
            Poll.require(Duration.ofSeconds(30), "the member to say new peer connections wait (" + log + ")",
                () -> read(log).contains("peer connections, as many as the open file limit"));
            write(writer, clientUrl, log);
            assertTrue(etcd.isAlive(), read(log));
            assertFalse(read(log).contains("Too many open files"), read(log));
            for (Socket s : callers) s.close();
            callers.clear();
            Poll.require(Duration.ofSeconds(30), "the peer port to answer again",
                () -> Poll.body(peerUrl + "/members").contains("peerURLs"));
        } finally {
            for (Socket s : callers) s.close();
            Processes.stop(etcd.pid(), Duration.ofSeconds(10));
        }
    }

    /** bin/etcd as a one-member cluster under `ulimit -n LIMIT`, its output in log. */
    private Process startUnderLimit(String clientUrl, String peerUrl, Path log) throws Exception {
        return new ProcessBuilder("bash", "-c", "ulimit -n " + LIMIT + " && exec \"$0\" \"$@\"",
            BIN.resolve("etcd").toString(), "--data-dir", dir.resolve("data").toString(),
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", "default=" + peerUrl)
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitServing(Process etcd, String clientUrl, Path log) throws Exception {
        Poll.require(Duration.ofSeconds(60), "bin/etcd to serve (" + log + ")",
            () -> !etcd.isAlive() || Poll.healthy(clientUrl));
        assertTrue(etcd.isAlive(), "bin/etcd exited:\n" + Files.readString(log));
    }

    /** A client whose kept-alive connection is accepted now, before any other holds the budget. */
    private static HttpClient connectedWriter(String clientUrl) throws Exception {
        HttpClient writer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertEquals(200, writer.send(HttpRequest.newBuilder(URI.create(clientUrl + "/version")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode());
        return writer;
    }

    /** WRITES values of VALUE_BYTES, each acknowledged (201). */
    private static void write(HttpClient writer, String clientUrl, Path log) throws Exception {
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
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
