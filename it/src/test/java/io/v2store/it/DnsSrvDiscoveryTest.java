package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --discovery-srv for the server and etcdctl, against a name server of our own. A resolver asks
 * port 53 of the address in /etc/resolv.conf, which a test cannot take on a shared machine; so
 * {@link SrvScenario} runs in namespaces of its own (util-linux's unshare): a network namespace
 * whose loopback only it uses, a mount namespace where its resolv.conf replaces the system's,
 * and a pid namespace that takes every process it started down with it.
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

    private static void runInNamespaces(Class<?> scenarioClass, String passed, Path dir) throws Exception {
        Path resolvConf = dir.resolve("resolv.conf");
        Files.writeString(resolvConf, "nameserver 127.0.0.1\n");
        Path work = Files.createDirectories(dir.resolve("work"));
        List<String> command = new ArrayList<>(List.of("unshare", "--map-root-user", "--net", "--mount", "--pid",
            "--fork", "--kill-child", "--mount-proc", "sh", "-ec",
            "ip link set lo up; mount --bind \"$0\" /etc/resolv.conf; exec \"$@\"", resolvConf.toString(),
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djava.library.path=" + System.getProperty("java.library.path"),
            "-cp", System.getProperty("java.class.path"), scenarioClass.getName(), work.toString()));
        Path output = dir.resolve("scenario.log");
        Process scenario = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean finished = scenario.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            Processes.kill9(scenario.pid()); // --kill-child: everything in the namespace goes with it
        }
        String log = Files.readString(output);
        System.out.println(log); // what was checked, in the test's report
        assertTrue(finished, "the scenario did not finish in 4 minutes:\n" + log + logs(work));
        assertEquals(0, scenario.exitValue(), log + logs(work));
        assertTrue(log.contains(passed), log);
    }

    private static String logs(Path work) throws Exception {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(work)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                String text = Files.readString(f);
                all.append("\n--- ").append(f.getFileName()).append('\n')
                    .append(text.length() > 4000 ? text.substring(text.length() - 4000) : text);
            }
        }
        return all.toString();
    }
}
