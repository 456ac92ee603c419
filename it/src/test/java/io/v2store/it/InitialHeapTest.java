package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/initial-heap.sh, which the launchers source: where it finds a member's data dir (as etcd
 * does), and when it sizes the initial heap for the snapshot there and when it leaves the heap
 * alone. Snapshot files here are sparse: only their sizes matter.
 */
class InitialHeapTest {
    private static final Path SCRIPT =
        Path.of(System.getProperty("user.dir")).resolve("../bin/initial-heap.sh").normalize();
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void theNewestSnapshotOfTheDataDirFlagSetsTheHeap() throws Exception {
        snapshot("d1", "0000000000000001-0000000000000009", 10 * MIB);
        snapshot("d1", "0000000000000002-0000000000000010", 100 * MIB);
        String expected = "-XX:InitialHeapSize=" + 400 * MIB;
        assertEquals(expected, flag(Map.of(), "--data-dir", "d1"));
        assertEquals(expected, flag(Map.of(), "--data-dir=d1"));
        assertEquals(expected, flag(Map.of(), "-data-dir", "d1", "--name", "x"));
        assertEquals(expected, flag(Map.of("ETCD_DATA_DIR", "d1")));
    }

    @Test
    void withoutADataDirFlagTheDirIsNamedAfterTheMember() throws Exception {
        snapshot("default.etcd", "0000000000000001-0000000000000009", 50 * MIB);
        snapshot("n2.etcd", "0000000000000001-0000000000000009", 40 * MIB);
        assertEquals("-XX:InitialHeapSize=" + 200 * MIB, flag(Map.of()));
        assertEquals("-XX:InitialHeapSize=" + 160 * MIB, flag(Map.of(), "--name", "n2"));
        assertEquals("-XX:InitialHeapSize=" + 160 * MIB, flag(Map.of("ETCD_NAME", "n2")));
    }

    @Test
    void aConfigFileReplacesFlagsAndVariables() throws Exception {
        snapshot("d1", "0000000000000001-0000000000000009", 30 * MIB);
        Files.writeString(dir.resolve("c.yml"), "name: 'x'\ndata-dir: \"" + dir.resolve("d1") + "\"  \n");
        assertEquals("-XX:InitialHeapSize=" + 120 * MIB,
            flag(Map.of("ETCD_DATA_DIR", "elsewhere"), "--config-file", "c.yml", "--data-dir", "nowhere"));
        assertEquals("-XX:InitialHeapSize=" + 120 * MIB, flag(Map.of("ETCD_CONFIG_FILE", "c.yml")));
    }

    @Test
    void smallOrMissingSnapshotsLeaveTheHeapAlone() throws Exception {
        snapshot("d1", "0000000000000001-0000000000000009", 15 * MIB); // 60 MiB: under 64
        assertEquals("", flag(Map.of(), "--data-dir", "d1"));
        assertEquals("", flag(Map.of(), "--data-dir", "absent"));
        Files.createDirectories(dir.resolve("empty/member/raft"));
        assertEquals("", flag(Map.of(), "--data-dir", "empty"));
    }

    @Test
    void anOperatorsHeapSettingsWin() throws Exception {
        snapshot("d1", "0000000000000001-0000000000000009", 100 * MIB);
        for (String opts : List.of("-Xmx1g", "-Xms512m", "-XX:MaxHeapSize=1g", "-XX:InitialHeapSize=1g",
                "-XX:MaxRAMPercentage=25", "-XX:MaxRAM=4g")) {
            assertEquals("", flag(Map.of("JAVA_OPTS", "-Dx=y " + opts), "--data-dir", "d1"), opts);
        }
        assertEquals("", flag(Map.of("V2STORE_HEAP", "1g"), "--data-dir", "d1"));
        // other JVM options do not count
        assertEquals("-XX:InitialHeapSize=" + 400 * MIB,
            flag(Map.of("JAVA_OPTS", "-XX:+UseG1GC -Dio.netty.eventLoopThreads=2"), "--data-dir", "d1"));
    }

    @Test
    void neverMoreThanTwoFifthsOfTheMemory() throws Exception {
        snapshot("d1", "0000000000000001-0000000000000009", 100 * MIB);
        // a machine (or container) of 500 MiB: the JVM's ceiling is 250, ours at most 200
        assertEquals("-XX:InitialHeapSize=" + 200 * MIB,
            flagWith(Map.of(), "_initial_heap_memory_bytes() { echo " + 500 * MIB + "; }", "--data-dir", "d1"));
        // 150 MiB: 60 at most, under 64, so nothing
        assertEquals("", flagWith(Map.of(), "_initial_heap_memory_bytes() { echo " + 150 * MIB + "; }",
            "--data-dir", "d1"));
    }

    private void snapshot(String dataDir, String termAndIndex, long bytes) throws Exception {
        Path raft = Files.createDirectories(dir.resolve(dataDir).resolve("member/raft"));
        try (RandomAccessFile f = new RandomAccessFile(
                raft.resolve("snapshot-" + termAndIndex + "-0badc0de.snap").toFile(), "rw")) {
            f.setLength(bytes);
        }
    }

    private String flag(Map<String, String> env, String... args) throws Exception {
        return flagWith(env, "", args);
    }

    /**
     * What initial_heap_flag prints for args, in dir, under the launchers' set -euo pipefail, with
     * redefine (shell code) run after the script is sourced.
     */
    private String flagWith(Map<String, String> env, String redefine, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "-c",
            "set -euo pipefail; source \"$0\"; " + redefine + "\ninitial_heap_flag \"$@\"", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        for (String name : List.of("ETCD_DATA_DIR", "ETCD_NAME", "ETCD_CONFIG_FILE", "JAVA_OPTS", "V2STORE_HEAP")) {
            pb.environment().remove(name);
        }
        pb.environment().putAll(env);
        Path out = dir.resolve("out-" + System.nanoTime());
        Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "initial_heap_flag hung");
        String output = Files.readString(out);
        assertEquals(0, p.exitValue(), output);
        return output.strip();
    }
}
