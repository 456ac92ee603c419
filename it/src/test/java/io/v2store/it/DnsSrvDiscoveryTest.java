package io.v2store.it;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --discovery-srv for the server and etcdctl, against a name server of our own. A resolver asks
 * port 53 of the address in /etc/resolv.conf, which a test cannot take on a shared machine; so
 * the scenarios run in namespaces of their own ({@link Namespaces}), where their resolv.conf
 * replaces the system's.
 */
class DnsSrvDiscoveryTest {

    @Test
    void membersProxiesAndEtcdctlFindTheClusterThroughSrvRecords(@TempDir Path dir) throws Exception {
        runInNamespaces(SrvScenario.class, "SRV SCENARIO PASSED", dir);
    }

    @Test
    void overTlsTheDomainIsTheNameCertificatesMustHold(@TempDir Path dir) throws Exception {
        runInNamespaces(SrvTlsScenario.class, "SRV TLS SCENARIO PASSED", dir);
    }

    /** In {@link Namespaces}, with a resolv.conf that names the namespace's own 127.0.0.1. */
    private static void runInNamespaces(Class<?> scenarioClass, String passed, Path dir) throws Exception {
        Path resolvConf = dir.resolve("resolv.conf");
        Files.writeString(resolvConf, "nameserver 127.0.0.1\n");
        Namespaces.run(scenarioClass, passed, dir, "mount --bind \"$0\" /etc/resolv.conf", resolvConf.toString());
    }
}
