package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.etcdctl.Main;
import io.v2store.etcdctl.cli.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
    private final List<Process> children = new ArrayList<>();

    private SrvScenario(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        SrvScenario scenario = new SrvScenario(Path.of(args[0]));
        int code = 1;
        try (TestNameServer dns = new TestNameServer(new InetSocketAddress("127.0.0.1", 53))) {
            scenario.run(dns);
            System.out.println("SRV SCENARIO PASSED");
            code = 0;
        } catch (Throwable t) {
            t.printStackTrace(System.out);
        } finally {
            scenario.children.forEach(p -> Processes.stop(p.pid(), Duration.ofSeconds(10)));
            System.out.flush();
        }
        System.exit(code);
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
        Processes.stop(m2.pid(), Duration.ofSeconds(10));
        children.remove(m2);
        dns.srv.clear();
        member(2, "http://m2." + DOMAIN + ":" + peerPort(2));
        awaitHealthy(2);
        assertTrue(get(clientPort(2), "/v2/keys/srv?quorum=true").contains("\"value\":\"found\""));
        Processes.stop(m1.pid(), Duration.ofSeconds(10));
        children.remove(m1);
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
            compare(args, Map.of());
        }
        compare(List.of("get", "/srv"), Map.of("ETCDCTL_DISCOVERY_SRV", DOMAIN, "ETCDCTL_INSECURE_DISCOVERY", "1"));
        compare(List.of("--endpoints", m1, "get", "/srv"), Map.of("ETCDCTL_DISCOVERY_SRV", DOMAIN));
        System.out.println("etcdctl --discovery-srv: ours and Debian's agree on " + (commands.size() + 2) + " commands");
    }

    private void compare(List<String> args, Map<String, String> env) throws Exception {
        String[] debian = debianEtcdctl(args, env);
        String[] ours = ourEtcdctl(args, env);
        String what = "etcdctl " + String.join(" ", args) + " " + env;
        assertEquals(debian[0], ours[0], what + ": exit code");
        assertEquals(debian[1], ours[1], what + ": stdout");
        assertEquals(debian[2], ours[2], what + ": stderr");
        System.out.println("  same: " + what + " -> exit " + ours[0]);
    }

    private String[] debianEtcdctl(List<String> args, Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(List.of(EtcdctlRun.BINARY.toString()));
        command.addAll(args);
        Path out = dir.resolve("etcdctl.out");
        Path err = dir.resolve("etcdctl.err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("ETCDCTL"));
        builder.environment().put("ETCDCTL_API", "2");
        builder.environment().putAll(env);
        Process p = builder.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "Debian's etcdctl " + args + " hung");
        return new String[] {Integer.toString(p.exitValue()), Files.readString(out), Files.readString(err)};
    }

    private static String[] ourEtcdctl(List<String> args, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> all = new HashMap<>(env);
        all.put("ETCDCTL_API", "2");
        Io io = new Io(new PrintStream(out, false, StandardCharsets.UTF_8), new PrintStream(err, false, StandardCharsets.UTF_8),
            new ByteArrayInputStream(new byte[0]), all, false);
        int code = Main.run(args.toArray(new String[0]), io);
        io.flush();
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
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
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djava.library.path=" + System.getProperty("java.library.path"),
            "-cp", System.getProperty("java.class.path"), OurServer.MAIN_CLASS));
        command.addAll(flags);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
        Process p = builder.start();
        children.add(p);
        return p;
    }

    private void awaitHealthy(int i) {
        Poll.require(START, "m" + i + " to be healthy (" + dir.resolve("m" + i + ".log") + ")",
            () -> get(clientPort(i), "/health").contains("\"health\":\"true\""));
    }

    private static String get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void put(int port, String path, String value) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .PUT(HttpRequest.BodyPublishers.ofString("value=" + value)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() == 200 || r.statusCode() == 201, r.body());
    }

}
