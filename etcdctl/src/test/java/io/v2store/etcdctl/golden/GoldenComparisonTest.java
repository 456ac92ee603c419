package io.v2store.etcdctl.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs each script with Debian's {@code ETCDCTL_API=2 etcdctl} and then with ours against the same
 * real etcd, and requires the same stdout, stderr and exit code for every command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoldenComparisonTest {
    private RealEtcd etcd;

    @BeforeAll
    void startEtcd() throws Exception {
        ReferenceBinaries.require();
        etcd = new RealEtcd().start();
    }

    @AfterAll
    void stopEtcd() throws Exception {
        if (etcd != null) {
            etcd.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"keys", "output-modes", "debug-and-endpoints", "cluster", "watch-history",
        "go-flag-values", "command-word"})
    void oursPrintsWhatTheReferencePrints(String name) throws Exception {
        final GoldenScript script = GoldenScript.load("/golden/" + name + ".script");
        final String reference = new ScriptRunner(etcd.clientUrl(), ProcessInvoker.reference()).run(script);
        final String ours = new ScriptRunner(etcd.clientUrl(), new InProcessInvoker()).run(script);
        final java.nio.file.Path dir = java.nio.file.Path.of("target", "golden");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(dir.resolve(name + ".reference.txt"), reference);
        java.nio.file.Files.writeString(dir.resolve(name + ".ours.txt"), ours);
        assertTrue(reference.contains("--- exit 0"), "the reference run did nothing useful:\n" + reference);
        assertEquals(reference, ours, "transcripts differ for script " + name + " (both are in " + dir + ")");
    }
}
