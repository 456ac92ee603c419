package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.testkit.LoopbackPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    /** The member's words when Netty's native transport does not load (raft's NettyIo). */
    private static final String NO_EPOLL = "the native epoll transport is unavailable";
    /** The load generator's (bench's ClientPool). */
    private static final String BENCH_NO_EPOLL = "bench: Netty's native epoll transport is unavailable";

    @TempDir
    Path dir;

    @Test
    void binEtcdServesAndBinEtcdctlTalksToIt() throws Exception {
        List<String> command = binEtcd(dir.resolve("data"));
        String clientUrl = clientUrl(command);
        Path log = dir.resolve("etcd.log");
        Process etcd = start(command, log, Map.of());
        try {
            assertEquals("10.0.0.7:5000\n", run(List.of(BIN.resolve("etcdctl").toString(), "--endpoints", clientUrl,
                "set", "/app/server/5000", "10.0.0.7:5000")));
            assertEquals("/app/server\n/app/server/5000\n", run(List.of(BIN.resolve("etcdctl").toString(), "--endpoints", clientUrl,
                "ls", "--recursive", "/app")));
            // Both native libraries from the build's unpacked copies, none copied to /tmp (where a
            // noexec mount would leave Netty on the JDK's NIO).
            String maps = Files.readString(Path.of("/proc", Long.toString(etcd.pid()), "maps"));
            Path nativeDir = BIN.resolveSibling("server").resolve("target/native").toRealPath();
            for (String library : List.of("librocksdbjni-linux64.so", "libnetty_transport_native_epoll_x86_64.so")) {
                assertTrue(maps.contains(nativeDir.resolve(library).toString()), library + " mapped from " + nativeDir);
            }
            assertFalse(Files.readString(log).contains(NO_EPOLL), Files.readString(log));
        } finally {
            Processes.stop(etcd.pid(), Duration.ofSeconds(10));
        }
    }

    /**
     * A member whose epoll library cannot load serves on the JDK's NIO and says why in its log,
     * once, as a warning: the fallback costs CPU, and is otherwise invisible.
     */
    @Test
    void binEtcdOnTheJdksNioSaysWhy() throws Exception {
        List<String> command = binEtcd(dir.resolve("data"));
        Path log = dir.resolve("etcd.log");
        Process etcd = start(command, log, Map.of("JAVA_OPTS", "-Dio.netty.transport.noNative=true"));
        try {
            assertEquals("v\n", run(List.of(BIN.resolve("etcdctl").toString(), "--endpoints", clientUrl(command),
                "set", "/k", "v")));
            List<String> warnings = Files.readAllLines(log).stream().filter(l -> l.contains(NO_EPOLL)).toList();
            assertEquals(1, warnings.size(), Files.readString(log));
            assertTrue(warnings.get(0).contains("WARNING") && warnings.get(0).contains("noNative"), warnings.get(0));
        } finally {
            Processes.stop(etcd.pid(), Duration.ofSeconds(10));
        }
    }

    /**
     * A member restarted by bin/etcd on a data dir whose snapshot holds ~30 MiB starts with a heap
     * sized for it (bin/initial-heap.sh), and serves what it held.
     */
    @Test
    void binEtcdSizesARestartedMembersHeapForItsSnapshot() throws Exception {
        Path data = dir.resolve("data");
        List<String> command = binEtcd(data, "--snapshot-count", "10");
        String clientUrl = clientUrl(command);
        Path log = dir.resolve("etcd.log");
        String value = "v".repeat(1 << 20);
        Process first = start(command, log);
        try {
            assertFalse(heapFlags(first.pid()).contains("-XX:InitialHeapSize="), "a new member starts small");
            // values of 1 MiB: snapshots every 10 entries once their bytes reach the last one's
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 40; i++) {
                HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(clientUrl + "/v2/keys/big/" + i))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .PUT(HttpRequest.BodyPublishers.ofString("value=" + value)).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertEquals(201, put.statusCode(), put.body());
            }
            Poll.require(Duration.ofSeconds(60), "a snapshot of over 25 MiB", () -> newestSnapshotBytes(data) > 25L << 20);
        } finally {
            Processes.stop(first.pid(), Duration.ofSeconds(10));
        }
        long snapshotBytes = newestSnapshotBytes(data);
        Process second = start(command, log);
        try {
            assertTrue(heapFlags(second.pid()).contains("-XX:InitialHeapSize=" + 4 * snapshotBytes),
                heapFlags(second.pid()) + " for a snapshot of " + snapshotBytes + " bytes");
            HttpResponse<String> got = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(clientUrl + "/v2/keys/big/39")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, got.statusCode());
            assertTrue(got.body().contains("\"value\":\"" + value + "\""), "the newest key, whole");
        } finally {
            Processes.stop(second.pid(), Duration.ofSeconds(10));
        }
    }

    /** bin/etcd for a one-member cluster on free ports, with data in data. */
    private static List<String> binEtcd(Path data, String... more) {
        String clientUrl = "http://127.0.0.1:" + LoopbackPorts.next();
        String peerUrl = "http://127.0.0.1:" + LoopbackPorts.next();
        List<String> command = new ArrayList<>(List.of(BIN.resolve("etcd").toString(), "--data-dir", data.toString(),
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", "default=" + peerUrl));
        command.addAll(List.of(more));
        return command;
    }

    private static String clientUrl(List<String> binEtcd) {
        return binEtcd.get(binEtcd.indexOf("--listen-client-urls") + 1);
    }

    private static Process start(List<String> command, Path log) throws Exception {
        return start(command, log, Map.of());
    }

    /** Starts bin/etcd with env added, its output appended to log, and waits until it serves. */
    private static Process start(List<String> command, Path log, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process etcd = builder.start();
        String clientUrl = clientUrl(command);
        Poll.require(Duration.ofSeconds(60), "bin/etcd to serve (" + log + ")",
            () -> !etcd.isAlive() || Poll.healthy(clientUrl)); // an exit is said below, with its log
        assertTrue(etcd.isAlive(), "bin/etcd exited:\n" + Files.readString(log));
        return etcd;
    }

    /** The heap options of a running JVM's command line (bin/etcd execs java: same pid). */
    private static String heapFlags(long pid) throws Exception {
        String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
        return String.join(" ", java.util.Arrays.stream(cmdline.split(" "))
            .filter(arg -> arg.startsWith("-Xm") || arg.contains("HeapSize")).toList());
    }

    private static long newestSnapshotBytes(Path data) {
        try (var files = Files.list(data.resolve("member/raft"))) {
            Path newest = files.filter(f -> f.getFileName().toString().matches("snapshot-.*\\.snap"))
                .max(java.util.Comparator.comparing(f -> f.getFileName().toString())).orElse(null);
            return newest == null ? 0 : Files.size(newest);
        } catch (java.io.IOException e) {
            return 0; // renamed under us: the next poll looks again
        }
    }

    /**
     * bin/etcd starts the Parallel collector unless JAVA_OPTS names a collector. Flags that merely
     * end in "GC" (-XX:+UseMaximumCompactionOnSystemGC) are not collectors: they once dropped ours,
     * leaving the JVM's choice (G1 here). Read from the java command line, with a stand-in java
     * that prints its arguments.
     */
    @Test
    void binEtcdKeepsItsCollectorUnlessJavaOptsNamesOne() throws Exception {
        Path fakeBin = Files.createDirectories(dir.resolve("fake-bin"));
        Path java = fakeBin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        assertTrue(java.toFile().setExecutable(true));
        for (String opts : List.of("", "-XX:+UseMaximumCompactionOnSystemGC",
                "-XX:+UseAdaptiveSizePolicyWithSystemGC -Dx=y")) {
            List<String> args = javaArgs(fakeBin, opts);
            assertTrue(args.contains("-XX:+UseParallelGC"), "JAVA_OPTS=" + opts + ": " + args);
        }
        for (String collector : List.of("-XX:+UseG1GC", "-XX:+UseSerialGC", "-XX:+UseZGC")) {
            List<String> args = javaArgs(fakeBin, "-Dx=y " + collector);
            assertFalse(args.contains("-XX:+UseParallelGC"), collector + ": " + args);
            assertTrue(args.contains(collector), collector + ": " + args);
        }
    }

    /** The arguments bin/etcd hands java, with fakeBin first on the PATH. */
    private List<String> javaArgs(Path fakeBin, String javaOpts) throws Exception {
        Path out = dir.resolve("args-" + System.nanoTime());
        ProcessBuilder pb = new ProcessBuilder(BIN.resolve("etcd").toString(), "--name", "n1")
            .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("PATH", fakeBin + ":" + System.getenv("PATH"));
        pb.environment().put("JAVA_OPTS", javaOpts);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bin/etcd hung");
        assertEquals(0, p.exitValue(), Files.readString(out));
        return Files.readAllLines(out);
    }

    /**
     * A script's background job (`bin/etcdctl watch ... &`, no job control) starts with SIGINT
     * ignored, and a JVM that starts so can never handle it, where Go's etcdctl exits 0 on it during
     * watch and exec-watch. bin/etcdctl then starts java with SIGINT's default action and says so
     * (read from a stand-in java that prints its SigIgn mask and arguments).
     */
    @Test
    void binEtcdctlStartedIgnoringSigintStartsJavaAbleToHandleIt() throws Exception {
        Path fakeBin = Files.createDirectories(dir.resolve("fake-bin"));
        Path java = fakeBin.resolve("java");
        Files.writeString(java, "#!/bin/sh\ngrep '^SigIgn:' /proc/$$/status\nprintf '%s\\n' \"$@\"\n");
        assertTrue(java.toFile().setExecutable(true));

        List<String> ignoring = etcdctlJavaLines(java, List.of("env", "--ignore-signal=INT"));
        assertEquals(0, sigIgnMask(ignoring) & 2, "SIGINT still ignored in java: " + ignoring);
        assertTrue(ignoring.contains("-Detcdctl.sigintIgnored=true"), ignoring.toString());
        assertEquals("watch", ignoring.get(ignoring.size() - 2));

        List<String> plain = etcdctlJavaLines(java, List.of("env", "--default-signal=INT"));
        assertEquals(0, sigIgnMask(plain) & 2, plain.toString());
        assertFalse(plain.contains("-Detcdctl.sigintIgnored=true"), plain.toString());
    }

    /**
     * bin/etcdctl starts from the class-data sharing archive that etcdctl's package step dumps,
     * all of picocli's classes included (Java 5 class files, which only a static dump archives): a
     * flag that differs between the dump and the launcher, or a dynamic archive, and they load from
     * the jars again, silently (-Xshare:auto).
     */
    @Test
    void binEtcdctlLoadsPicocliFromItsClassDataArchive() throws Exception {
        Path classLog = dir.resolve("classes.log");
        Path java = Files.createDirectories(dir.resolve("logging-bin")).resolve("java");
        // the java on PATH, as bin/etcdctl runs by default and as the package step dumped with
        Files.writeString(java, "#!/bin/sh\nexec java -Xlog:class+load=info:file=" + classLog + " \"$@\"\n");
        assertTrue(java.toFile().setExecutable(true));
        assertTrue(run(List.of(BIN.resolve("etcdctl").toString(), "--version"), 0, Map.of("JAVA", java.toString()))
            .contains("etcdctl version"));
        List<String> loaded = Files.readAllLines(classLog);
        for (String name : List.of("io.v2store.etcdctl.Main", "picocli.CommandLine", "picocli.CommandLine$Model$OptionSpec")) {
            List<String> lines = loaded.stream().filter(l -> l.contains(" " + name + " source: ")).toList();
            assertEquals(1, lines.size(), name + " in " + classLog);
            assertTrue(lines.get(0).endsWith("source: shared objects file"), lines.get(0));
        }
        // every one of them: a lambda for a picocli interface in etcdctl's code has the dump link
        // that interface, which then leaves it and all its implementations out (GoValues.register)
        List<String> fromJars = loaded.stream().filter(l -> l.contains("] picocli.")
            && !l.endsWith("source: shared objects file")).toList();
        assertEquals(List.of(), fromJars, "picocli classes read from the jar");
    }

    private List<String> etcdctlJavaLines(Path java, List<String> launcher) throws Exception {
        Path out = dir.resolve("java-" + System.nanoTime());
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(BIN.resolve("etcdctl").toString(), "watch", "/k"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("JAVA", java.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bin/etcdctl hung");
        assertEquals(0, p.exitValue(), Files.readString(out));
        return Files.readAllLines(out);
    }

    private static long sigIgnMask(List<String> lines) {
        assertTrue(lines.get(0).startsWith("SigIgn:"), lines.toString());
        return Long.parseLong(lines.get(0).substring("SigIgn:".length()).trim(), 16);
    }

    @Test
    void binBenchStarts() throws Exception {
        // without a mode it says how to give one, and exits 2
        assertTrue(run(List.of(BIN.resolve("bench").toString(), "--help"), 2).contains("usage: bench"));
    }

    /**
     * The load generator loads Netty's epoll library from bench/target/native, as bin/etcd does
     * from server/target/native, so a place Netty cannot copy it to (here a file where its
     * directory should be; on a host, a /tmp mounted noexec) leaves it on epoll. And where epoll
     * does not load it says so, once.
     */
    @Test
    void binBenchKeepsEpollWithoutAPlaceToCopyItsLibraryTo() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("not-a-directory"), "");
        List<String> oneWrite = List.of(BIN.resolve("bench").toString(), "put", "--endpoints",
            "http://127.0.0.1:" + LoopbackPorts.next(), "--requests", "1", "--no-progress");
        String output = run(oneWrite, 0, Map.of("JAVA_OPTS", "-Dio.netty.native.workdir=" + notADirectory));
        assertFalse(output.contains(BENCH_NO_EPOLL), output);
        assertTrue(output.contains("0 ok, 1 errors"), output);
        output = run(oneWrite, 0, Map.of("JAVA_OPTS", "-Dio.netty.transport.noNative=true"));
        assertEquals(1, output.lines().filter(l -> l.contains(BENCH_NO_EPOLL) && l.contains("noNative")).count(),
            output);
    }

    private String run(List<String> command) throws Exception {
        return run(command, 0);
    }

    /** Output of a command that must exit with {@code exit} within 60 s. */
    private String run(List<String> command, int exit) throws Exception {
        return run(command, exit, Map.of());
    }

    private String run(List<String> command, int exit, Map<String, String> env) throws Exception {
        Path out = dir.resolve("out-" + System.nanoTime());
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
            .redirectOutput(out.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " hung");
        String output = Files.readString(out);
        assertEquals(exit, p.exitValue(), command + ":\n" + output);
        return output;
    }
}
