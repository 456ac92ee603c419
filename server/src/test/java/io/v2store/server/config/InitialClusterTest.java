package io.v2store.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InitialClusterTest {

    @Test
    void keepsMemberOrderAndGroupsRepeatedNames() {
        Map<String, List<URI>> cluster = InitialCluster.parse("b=http://h:2,a=http://h:1,b=http://g:3");
        assertEquals(List.of("b", "a"), List.copyOf(cluster.keySet()));
        assertEquals(List.of(URI.create("http://g:3"), URI.create("http://h:2")), cluster.get("b"));
    }

    @Test
    void formatsBack() {
        assertEquals("a=http://h:1,b=http://g:3,b=http://h:2",
            InitialCluster.format(InitialCluster.parse("a=http://h:1,b=http://h:2,b=http://g:3")));
    }

    @Test
    void emptyPairsAreSkipped() {
        assertEquals(1, InitialCluster.parse(",a=http://h:1,,").size());
    }

    @Test
    void aNameWithoutUrlFailsAsInEtcd() {
        // /usr/bin/etcd --initial-cluster n2: "URL scheme must be http, https, unix, or unixs: "
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InitialCluster.parse("n2"));
        assertEquals("URL scheme must be http, https, unix, or unixs: ", e.getMessage());
    }
}
