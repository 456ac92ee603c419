package io.v2store.etcdctl.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.testkit.LoopbackPorts;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A successful {@code member add} (ours), then the cluster it leaves behind: one started member of
 * two, so no quorum. Once etcd reports itself unhealthy, both tools must say the same about it.
 */
class MemberAddAndHealthTest {
    private static final long HEALTH_DEADLINE_MILLIS = 30_000;
    private static final Pattern ADDED = Pattern.compile("Added member named n2 with ID ([0-9a-f]+) to cluster\n\n"
            + "ETCD_NAME=\"n2\"\nETCD_INITIAL_CLUSTER=\"([^\"]*)\"\nETCD_INITIAL_CLUSTER_STATE=\"existing\"\n");

    @Test
    void addThenCompareListAndHealthOfTheDegradedCluster() throws Exception {
        ReferenceBinaries.require();
        try (RealEtcd etcd = new RealEtcd().start()) {
            final String healthy = "cluster is healthy\n";
            final List<String> health = List.of("--endpoints", etcd.clientUrl(), "cluster-health");
            assertEquals(ProcessInvoker.reference().run(health, ""), new InProcessInvoker().run(health, ""));
            assertTrue(new InProcessInvoker().run(health, "").stdout().endsWith(healthy));

            final String newPeer = "http://127.0.0.1:" + LoopbackPorts.next();
            final EtcdctlInvoker.Result added = new InProcessInvoker().run(
                    List.of("--endpoints", etcd.clientUrl(), "member", "add", "n2", newPeer), "");
            assertEquals(0, added.exitCode(), added.stderr());
            final Matcher m = ADDED.matcher(added.stdout());
            assertTrue(m.matches(), added.stdout());
            assertTrue(List.of(m.group(2).split(",")).contains("n2=" + newPeer), m.group(2));
            assertTrue(m.group(2).contains("golden=http://127.0.0.1:"), m.group(2));

            awaitUnhealthy(etcd.clientUrl());
            for (List<String> args : List.of(health,
                    List.of("--endpoints", etcd.clientUrl(), "--no-sync", "cluster-health"),
                    List.of("--endpoints", etcd.clientUrl(), "member", "list"))) {
                final EtcdctlInvoker.Result reference = ProcessInvoker.reference().run(args, "");
                assertEquals(reference, new InProcessInvoker().run(args, ""), String.join(" ", args));
            }
            final EtcdctlInvoker.Result unhealthy = new InProcessInvoker().run(health, "");
            assertEquals(5, unhealthy.exitCode());
            assertTrue(unhealthy.stdout().contains("member " + m.group(1)
                    + " is unreachable: no available published client urls\n"), unhealthy.stdout());
        }
    }

    private static void awaitUnhealthy(String endpoint) throws IOException {
        final long deadline = System.nanoTime() + HEALTH_DEADLINE_MILLIS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            final HttpURLConnection conn = (HttpURLConnection) new URL(endpoint + "/health").openConnection();
            conn.setReadTimeout(5000);
            final int status = conn.getResponseCode();
            conn.disconnect();
            if (status != 200) {
                return;
            }
            LockSupport.parkNanos(100_000_000L); // polling interval of a condition with a deadline
        }
        throw new AssertionError("etcd still healthy " + HEALTH_DEADLINE_MILLIS + " ms after losing quorum");
    }
}
