package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers in the source tree's bin/, as README's first command runs them after the build
 * (the modules are packaged before these tests run): bin/etcd serves, bin/etcdctl and bin/bench
 * start. Each picks its module's jar among the others a build leaves (sources, tests).
 */
class LaunchersTest {
    private static final Path BIN = Path.of(System.getProperty("user.dir")).resolve("../bin").normalize();

    @TempDir
    Path dir;

    @Test
    void binEtcdServesAndBinEtcdctlTalksToIt() throws Exception {
        int client = FreePorts.next();
        int peer = FreePorts.next();
        String clientUrl = "http://127.0.0.1:" + client;
        Path log = dir.resolve("etcd.log");
        Process etcd = new ProcessBuilder(BIN.resolve("etcd").toString(), "--data-dir", dir.resolve("data").toString(),
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", "http://127.0.0.1:" + peer,
            "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
            "--initial-cluster", "default=http://127.0.0.1:" + peer)
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Poll.require(Duration.ofSeconds(60), "bin/etcd to serve (" + log + ")",
                () -> !etcd.isAlive() || Poll.healthy(clientUrl)); // an exit is said below, with its log
            assertTrue(etcd.isAlive(), "bin/etcd exited:\n" + Files.readString(log));
            assertEquals("10.0.0.7:5000\n", run(List.of(BIN.resolve("etcdctl").toString(), "--endpoints", clientUrl,
                "set", "/app/server/5000", "10.0.0.7:5000")));
            assertEquals("/app/server\n/app/server/5000\n", run(List.of(BIN.resolve("etcdctl").toString(), "--endpoints", clientUrl,
                "ls", "--recursive", "/app")));
        } finally {
            Processes.stop(etcd.pid(), Duration.ofSeconds(10));
        }
    }

    @Test
    void binBenchStarts() throws Exception {
        // without a mode it says how to give one, and exits 2
        assertTrue(run(List.of(BIN.resolve("bench").toString(), "--help"), 2).contains("usage: bench"));
    }

    private String run(List<String> command) throws Exception {
        return run(command, 0);
    }

    /** Output of a command that must exit with {@code exit} within 60 s. */
    private String run(List<String> command, int exit) throws Exception {
        Path out = dir.resolve("out-" + System.nanoTime());
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
            .redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " hung");
        String output = Files.readString(out);
        assertEquals(exit, p.exitValue(), command + ":\n" + output);
        return output;
    }
}
