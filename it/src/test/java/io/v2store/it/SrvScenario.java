package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * DNS SRV discovery end to end, run by {@link DnsSrvDiscoveryTest} inside network, mount and pid
 * namespaces of its own, where /etc/resolv.conf names 127.0.0.1 and a {@link TestNameServer}
 * answers on port 53. Every address is the namespace's own 127.0.0.1, so fixed ports are free.
 * Prints what it checks; exits 0 when everything held.
 */
public final class SrvScenario {
    private static final String DOMAIN = "example.test";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration START = Duration.ofSeconds(60);

    private final Path dir;
    private final ScenarioRun run;

    private SrvScenario(Path dir) {
        this.dir = dir;
        this.run = new ScenarioRun(dir);
    }

    public static void main(String[] args) throws Exception {
        SrvScenario scenario = new SrvScenario(Path.of(args[0]));
        scenario.run.runAndExit("SRV SCENARIO PASSED", scenario::run);
    }

    private static int peerPort(int i) {
        return 12380 + i;
    }

    private static int clientPort(int i) {
        return 12370 + i;
    }

    private void run(TestNameServer dns) throws Exception {
        for (int i = 1; i <= 4; i++) dns.a.put("m" + i + "." + DOMAIN + ".", "127.0.0.1");
        List<TestNameServer.Srv> peers = new ArrayList<>();
        List<TestNameServer.Srv> clients = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            peers.add(new TestNameServer.Srv(peerPort(i), "m" + i + "." + DOMAIN + "."));
            clients.add(new TestNameServer.Srv(clientPort(i), "m" + i + "." + DOMAIN + "."));
        }
        // http records only, the CoreOS guides' example (etcd 3.4 itself refuses to start with these)
        dns.srv.put("_etcd-server._tcp." + DOMAIN + ".", peers);
        dns.srv.put("_etcd-client._tcp." + DOMAIN + ".", clients);

        // m1 and m2 advertise the names their records hold, m3 its address: found by resolving both
        Process m1 = member(1, "http://m1." + DOMAIN + ":" + peerPort(1));
        Process m2 = member(2, "http://m2." + DOMAIN + ":" + peerPort(2));
        member(3, "http://127.0.0.1:" + peerPort(3));
        for (int i = 1; i <= 3; i++) awaitHealthy(i);
        String members = get(clientPort(1), "/v2/members");
        for (int i = 1; i <= 3; i++) {
            assertTrue(members.contains("\"name\":\"m" + i + "\",\"peerURLs\":[\"http://m" + i + "." + DOMAIN + ":"
                + peerPort(i) + "\"]"), members);
        }
        put(clientPort(1), "/v2/keys/srv", "found");
        assertTrue(get(clientPort(3), "/v2/keys/srv?quorum=true").contains("\"value\":\"found\""));
        System.out.println("three members bootstrapped from SRV records: " + members);

        // a member the records do not name cannot start, and says why
        Process m4 = member(4, "http://m4." + DOMAIN + ":" + peerPort(4));
        assertTrue(m4.waitFor(START.toSeconds(), TimeUnit.SECONDS), "m4 should exit");
        assertEquals(1, m4.exitValue());
        String m4Log = Files.readString(dir.resolve("m4.log"));
        assertTrue(m4Log.contains("cannot find local etcd member \"m4\" in SRV records"), m4Log);
        assertTrue(!m4Log.contains("\tat "), "no stack trace: " + m4Log);

        // a proxy takes its members from the same records
        startProxy();
        Poll.require(START, "the proxy to serve", () -> get(clientPort(9), "/v2/keys/srv").contains("found"));
        System.out.println("a proxy found the members through DNS");

        etcdctlMatchesDebian();

        // a member with data restarts without DNS
        run.stop(m2);
        dns.srv.clear();
        member(2, "http://m2." + DOMAIN + ":" + peerPort(2));
        awaitHealthy(2);
        assertTrue(get(clientPort(2), "/v2/keys/srv?quorum=true").contains("\"value\":\"found\""));
        run.stop(m1);
        System.out.println("a member restarted with no SRV records left");
    }

    /** Debian's etcdctl and ours, on the same records, print the same and exit alike. */
    private void etcdctlMatchesDebian() throws Exception {
        String m1 = "http://127.0.0.1:" + clientPort(1);
        List<List<String>> commands = List.of(
            List.of("--discovery-srv", DOMAIN, "--insecure-discovery", "get", "/srv"),
            List.of("-D", DOMAIN, "--insecure-discovery", "--no-sync", "ls", "/"),
            List.of("-D", DOMAIN, "--insecure-discovery", "member", "list"),
            // http endpoints are dropped with a warning; with none left, --endpoints applies
            List.of("-D", DOMAIN, "--endpoints", m1, "get", "/srv"),
            List.of("-D", "nosuch.test", "--endpoints", m1, "get", "/srv"),
            List.of("-D", DOMAIN, "--insecure-discovery", "set", "/by-srv", "v"),
            List.of("--endpoints", m1, "get", "/by-srv"));
        for (List<String> args : commands) {
            run.compareEtcdctl(args, Map.of());
        }
        run.compareEtcdctl(List.of("get", "/srv"), Map.of("ETCDCTL_DISCOVERY_SRV", DOMAIN, "ETCDCTL_INSECURE_DISCOVERY", "1"));
        run.compareEtcdctl(List.of("--endpoints", m1, "get", "/srv"), Map.of("ETCDCTL_DISCOVERY_SRV", DOMAIN));
        System.out.println("etcdctl --discovery-srv: ours and Debian's agree on " + (commands.size() + 2) + " commands");
    }

    private Process member(int i, String advertisePeer) throws IOException {
        return launch("m" + i, List.of("--name", "m" + i, "--data-dir", dir.resolve("m" + i).toString(),
            "--discovery-srv", DOMAIN, "--initial-advertise-peer-urls", advertisePeer,
            "--listen-peer-urls", "http://127.0.0.1:" + peerPort(i),
            "--listen-client-urls", "http://127.0.0.1:" + clientPort(i),
            "--advertise-client-urls", "http://127.0.0.1:" + clientPort(i)));
    }

    private void startProxy() throws IOException {
        launch("proxy", List.of("--proxy", "on", "--name", "proxy", "--data-dir", dir.resolve("proxy").toString(),
            "--discovery-srv", DOMAIN, "--listen-client-urls", "http://127.0.0.1:" + clientPort(9)));
    }

    private Process launch(String name, List<String> flags) throws IOException {
        return run.launchOurs(name, List.of(), flags);
    }

    private void awaitHealthy(int i) {
        Poll.require(START, "m" + i + " to be healthy (" + dir.resolve("m" + i + ".log") + ")",
            () -> get(clientPort(i), "/health").contains("\"health\":\"true\""));
    }

    private static String get(int port, String path) {
        return Poll.body("http://127.0.0.1:" + port + path);
    }

    private static void put(int port, String path, String value) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .PUT(HttpRequest.BodyPublishers.ofString("value=" + value)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() == 200 || r.statusCode() == 201, r.body());
    }

}
