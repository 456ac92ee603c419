package io.v2store.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The constants below were observed on Debian's etcd 3.4.23 (/usr/bin/etcd --enable-v2=true)
 * started with exactly these names, peer URLs and tokens: /v2/members ids and the
 * X-Etcd-Cluster-Id header for the single member, and the "added member ... to cluster ..." log
 * lines for the three-member configuration (which cannot serve clients without a quorum).
 */
class ClusterIdsTest {

    @Test
    void singleMemberMatchesRealEtcd() {
        // etcd --name n1 --initial-cluster n1=http://127.0.0.1:42380 --initial-cluster-token tok-v2store
        ClusterIds ids = ClusterIds.of(
            InitialCluster.parse("n1=http://127.0.0.1:42380"), "tok-v2store");
        assertEquals("ee64c7204c3e47f3", ClusterIds.hex(ids.memberId("n1")));
        assertEquals("dc48b0896c56f953", ClusterIds.hex(ids.clusterId()));
    }

    @Test
    void threeMembersWithARepeatedNameMatchRealEtcd() {
        // n2 has two peer URLs given in unsorted order: etcd sorts them before hashing.
        ClusterIds ids = ClusterIds.of(InitialCluster.parse(
            "n1=http://127.0.0.1:42382,n2=http://127.0.0.1:42390,n2=http://10.0.0.7:2380,n3=http://127.0.0.1:42391"),
            "multi-token");
        assertEquals("fa5461792e2877a", ClusterIds.hex(ids.memberId("n1")));
        assertEquals("b2e233f36c915ae", ClusterIds.hex(ids.memberId("n2")));
        assertEquals("a0d3177259249502", ClusterIds.hex(ids.memberId("n3")));
        assertEquals("1d82ee6321d35410", ClusterIds.hex(ids.clusterId()));
        assertEquals(List.of("n1", "n2", "n3"), List.copyOf(ids.memberIds().keySet()));
    }

    @Test
    void memberIdDoesNotDependOnUrlOrder() {
        URI a = URI.create("http://10.0.0.7:2380");
        URI b = URI.create("http://127.0.0.1:42390");
        assertEquals(ClusterIds.memberId(List.of(a, b), "t"), ClusterIds.memberId(List.of(b, a), "t"));
    }

    @Test
    void tokenChangesEveryId() {
        Map<String, List<URI>> cluster = InitialCluster.parse("n1=http://127.0.0.1:42380");
        ClusterIds one = ClusterIds.of(cluster, "tok-v2store");
        ClusterIds other = ClusterIds.of(cluster, "another");
        org.junit.jupiter.api.Assertions.assertNotEquals(one.memberId("n1"), other.memberId("n1"));
        org.junit.jupiter.api.Assertions.assertNotEquals(one.clusterId(), other.clusterId());
    }

    @Test
    void clusterIdSortsMemberIdsAsUnsignedNumbers() {
        // a0d3177259249502 is negative as a Java long; etcd sorts it after the others.
        long n1 = Long.parseUnsignedLong("fa5461792e2877a", 16);
        long n2 = Long.parseUnsignedLong("b2e233f36c915ae", 16);
        long n3 = Long.parseUnsignedLong("a0d3177259249502", 16);
        assertEquals("1d82ee6321d35410", ClusterIds.hex(ClusterIds.clusterId(List.of(n3, n1, n2))));
    }

    @Test
    void hexHasNoLeadingZeros() {
        assertEquals("2943212f5e2cf73", ClusterIds.hex(0x02943212f5e2cf73L));
    }

    @Test
    void unknownMemberIsRefused() {
        ClusterIds ids = ClusterIds.of(InitialCluster.parse("n1=http://127.0.0.1:1"), "t");
        assertThrows(IllegalArgumentException.class, () -> ids.memberId("n9"));
    }
}
