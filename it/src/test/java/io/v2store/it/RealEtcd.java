package io.v2store.it;

import io.v2store.testkit.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's etcd 3.4.23 with the v2 API, on free loopback ports and a temporary data directory.
 * Absent binary: the test is skipped locally, but fails under CI ({@code CI} set), where a
 * silently skipped differential test would hide every difference.
 */
final class RealEtcd implements ServerUnderTest {

    static final Path BINARY = Path.of("/usr/bin/etcd");
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Path dataDir;
    private final Path log;
    private final URI clientUrl;
    private final URI peerUrl;
    private final Process process;

    private RealEtcd(String name, Path dataDir, Path log, URI clientUrl, URI peerUrl, Process process) {
        this.name = name;
        this.dataDir = dataDir;
        this.log = log;
        this.clientUrl = clientUrl;
        this.peerUrl = peerUrl;
        this.process = process;
    }

    /** Skips (no CI) or fails (CI) when the binary is missing. */
    static void requireBinary() {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        String message = BINARY + " is not installed (apt-get install etcd-server etcd-client)";
        if (System.getenv("CI") != null) {
            throw new AssertionError("CI is set but " + message);
        }
        Assumptions.abort("skipped: " + message);
    }

    static RealEtcd start(String name, String token) {
        requireBinary();
        try {
            Path dir = Files.createTempDirectory("it-etcd-");
            Path dataDir = dir.resolve("data");
            Path log = dir.resolve("etcd.log");
            URI client = URI.create("http://127.0.0.1:" + LoopbackPorts.next());
            URI peer = URI.create("http://127.0.0.1:" + LoopbackPorts.next());
            List<String> command = List.of(BINARY.toString(), "--enable-v2=true",
                "--name", name, "--data-dir", dataDir.toString(),
                "--listen-client-urls", client.toString(), "--advertise-client-urls", client.toString(),
                "--listen-peer-urls", peer.toString(), "--initial-advertise-peer-urls", peer.toString(),
                "--initial-cluster", name + "=" + peer, "--initial-cluster-token", token,
                "--initial-cluster-state", "new");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
            // etcd refuses a flag that is also set as ETCD_*: start it with a clean ETCD_ environment.
            builder.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
            Process process = builder.start();
            RealEtcd etcd = new RealEtcd(name, dir, log, client, peer, process);
            etcd.awaitReady();
            return etcd;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Healthy, and the cluster version decided: etcd writes that version into its store shortly
     * after electing itself, which moves X-Etcd-Index; waiting for it makes the starting index
     * stable.
     */
    private void awaitReady() {
        boolean ready = Poll.until(START_TIMEOUT, () -> {
            if (!process.isAlive()) {
                return false;
            }
            try {
                RawResponse health = RawHttp.send(clientUrl, RawRequest.of("GET", "/health"));
                RawResponse version = RawHttp.send(clientUrl, RawRequest.of("GET", "/version"));
                return health.status() == 200 && version.body().contains("\"etcdcluster\":\"3.4.0\"");
            } catch (UncheckedIOException e) {
                return false;
            }
        });
        if (!ready) {
            String tail = Processes.tail(log, 3000);
            close();
            throw new AssertionError("etcd did not become healthy within " + START_TIMEOUT + ":\n" + tail);
        }
    }

    @Override
    public String label() {
        return "etcd 3.4.23";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public URI clientUrl() {
        return clientUrl;
    }

    @Override
    public URI peerUrl() {
        return peerUrl;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        Processes.stop(process.pid(), Duration.ofSeconds(10));
        Processes.deleteTree(dataDir);
    }
}
