package io.v2store.it;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member whose disk fills stops rather than acknowledge what it could not persist, and loses
 * none of what it acknowledged ({@link DiskFullScenario}); in a cluster, the others go on without
 * it and it catches up once it has room ({@link LeaderDiskFullScenario}). The small disks are
 * tmpfs mounted in a mount namespace of the test's own ({@link Namespaces}): no privilege, nothing
 * on the machine's.
 */
class DiskFullTest {

    @Test
    void aFullDiskStopsTheMemberAndNoAcknowledgedWriteIsLost(@TempDir Path dir) throws Exception {
        Path small = Files.createDirectories(dir.resolve("small"));
        Namespaces.run(DiskFullScenario.class, "DISK FULL SCENARIO PASSED", dir,
            "mount -t tmpfs -o size=40m tmpfs \"$0\"", small.toString());
    }

    /** Each member on a tmpfs of its own; the leader's is the one that fills. */
    @Test
    void aLeaderWithAFullDiskStopsAndTheOthersGoOn(@TempDir Path dir) throws Exception {
        Path small = Files.createDirectories(dir.resolve("small"));
        Namespaces.run(LeaderDiskFullScenario.class, "LEADER DISK FULL SCENARIO PASSED", dir,
            "for m in m0 m1 m2; do mkdir -p \"$0/$m\"; mount -t tmpfs -o size=64m tmpfs \"$0/$m\"; done",
            small.toString());
    }
}
