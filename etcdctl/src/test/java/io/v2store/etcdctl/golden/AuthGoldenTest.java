package io.v2store.etcdctl.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The user, role and auth commands: each script runs with Debian's etcdctl and with ours, each time
 * against a fresh real etcd. Unlike the key scripts these change cluster-wide state (users, roles,
 * auth on or off) that no wipe of {@code /g} undoes, so the two runs cannot share one server.
 * The client URL differs between the two servers and is written as {@code <url>} in the transcripts.
 */
class AuthGoldenTest {
    @BeforeAll
    static void requireReference() {
        ReferenceBinaries.require();
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth-users", "auth-roles", "auth-enable", "auth-args"})
    void oursPrintsWhatTheReferencePrints(String name) throws Exception {
        final GoldenScript script = GoldenScript.load("/golden/" + name + ".script");
        final String reference = runOnFreshEtcd(script, ProcessInvoker.reference());
        final String ours = runOnFreshEtcd(script, new InProcessInvoker());
        final Path dir = Path.of("target", "golden");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".reference.txt"), reference);
        Files.writeString(dir.resolve(name + ".ours.txt"), ours);
        assertTrue(reference.contains("--- exit 0"), "the reference run did nothing useful:\n" + reference);
        assertEquals(reference, ours, "transcripts differ for script " + name + " (both are in " + dir + ")");
    }

    private static String runOnFreshEtcd(GoldenScript script, EtcdctlInvoker invoker) throws Exception {
        try (RealEtcd etcd = new RealEtcd().start()) {
            return new ScriptRunner(etcd.clientUrl(), invoker).run(script).replace(etcd.clientUrl(), "<url>");
        }
    }
}
