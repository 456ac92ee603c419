package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member out of file descriptors (more clients than its open file limit) says so in one line
 * per second, as etcd's Go server does, without spinning, and serves again once clients leave.
 */
class FileLimitTest {
    private static final Path BIN = Path.of(System.getProperty("user.dir")).resolve("../bin").normalize();
    private static final int LIMIT = 256;

    @TempDir
    Path dir;

    @Test
    void aMemberOutOfFileDescriptorsSaysSoAndRecovers() throws Exception {
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
            // connections the kernel queues beyond the limit wait in the backlog, connected
            for (int i = 0; i < LIMIT + 50; i++) {
                clients.add(new Socket());
                clients.get(i).connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            }
            Poll.require(Duration.ofSeconds(30), "the member to say it cannot accept (" + log + ")",
                () -> read(log).contains("Too many open files; retrying in 1000 ms"));
            // while out of descriptors it retries once a second, not in a spin: its own timestamps
            Poll.require(Duration.ofSeconds(30), "three accept errors",
                () -> acceptErrorTimes(read(log)).size() >= 3);
            List<Instant> times = acceptErrorTimes(read(log));
            for (int i = 1; i < times.size(); i++) {
                assertTrue(Duration.between(times.get(i - 1), times.get(i)).toMillis() >= 900,
                    "accept errors closer than the pause:\n" + read(log));
            }
            assertFalse(read(log).contains("reached at the tail of the pipeline"), read(log));
            for (Socket s : clients) s.close();
            clients.clear();
            Poll.require(Duration.ofSeconds(30), "the member to serve again", () -> Poll.healthy(clientUrl));
        } finally {
            for (Socket s : clients) s.close();
            Processes.stop(etcd.pid(), Duration.ofSeconds(10));
        }
    }

    /** When each "accept error" line was logged, by the line's own timestamp. */
    private static List<Instant> acceptErrorTimes(String log) {
        return log.lines().filter(l -> l.contains("accept error"))
            .map(l -> Instant.parse(l.substring(0, l.indexOf(' ')))).toList();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
