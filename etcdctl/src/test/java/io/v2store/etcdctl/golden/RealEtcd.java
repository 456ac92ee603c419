package io.v2store.etcdctl.golden;

import io.v2store.testkit.LoopbackPorts;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real {@code /usr/bin/etcd --enable-v2=true} on free loopback ports with its own data dir. It can be
 * stopped and started again on the same ports and data dir (to test clients across a restart); it is
 * always killed by pid.
 */
public final class RealEtcd implements AutoCloseable {
    private static final long START_DEADLINE_MILLIS = 30_000;
    private final Path dataDir;
    private final int clientPort;
    private final int peerPort;
    private final Path log;
    private Process process;

    public RealEtcd() throws IOException {
        this.dataDir = Files.createTempDirectory("etcdctl-golden-");
        this.clientPort = LoopbackPorts.next();
        this.peerPort = LoopbackPorts.next();
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    public String clientUrl() {
        return "http://127.0.0.1:" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    public RealEtcd start() throws IOException, InterruptedException {
        final String peerUrl = "http://127.0.0.1:" + peerPort;
        process = new ProcessBuilder(List.of(ReferenceBinaries.ETCD.toString(), "--enable-v2=true",
                "--name", "golden", "--data-dir", dataDir.resolve("data").toString(),
                "--listen-client-urls", clientUrl(), "--advertise-client-urls", clientUrl(),
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", "golden=" + peerUrl))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitHealthy();
        return this;
    }

    /** Kills the server (SIGKILL, by pid) and waits for it to be gone. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
            process = null;
        }
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + START_DEADLINE_MILLIS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("etcd exited early; see " + log);
            }
            if (healthy()) {
                return;
            }
            // Polling a condition against a deadline; the interval only spaces the probes.
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
        throw new IOException("etcd not healthy within " + START_DEADLINE_MILLIS + " ms; see " + log);
    }

    private boolean healthy() {
        try {
            final HttpURLConnection conn = (HttpURLConnection) new URL(clientUrl() + "/health").openConnection();
            conn.setConnectTimeout(500);
            conn.setReadTimeout(2000);
            final boolean ok = conn.getResponseCode() == 200
                    && new String(conn.getInputStream().readAllBytes()).contains("true");
            conn.disconnect();
            return ok;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(log);
    }
}
