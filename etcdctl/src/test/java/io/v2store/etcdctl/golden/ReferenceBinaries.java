package io.v2store.etcdctl.golden;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The reference binaries these tests need; absent means skip locally, fail in CI. */
public final class ReferenceBinaries {
    public static final Path ETCD = Path.of("/usr/bin/etcd");
    public static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");

    private ReferenceBinaries() {
    }

    public static void require() {
        final boolean present = Files.isExecutable(ETCD) && Files.isExecutable(ETCDCTL);
        if (present) {
            return;
        }
        final String message = "reference binaries " + ETCD + " and " + ETCDCTL + " are required "
                + "(Debian: apt-get install etcd-server etcd-client)";
        if (System.getenv("CI") != null) {
            fail(message + "; CI is set, so their absence is a failure");
        }
        assumeTrue(false, "skipped: " + message + " (set CI to make this a failure)");
    }
}
