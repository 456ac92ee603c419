package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.v2store.testkit.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CoreOS's discovery service (discovery.etcd.io, Debian's etcd-discovery) with one of our members
 * as the key space it keeps its tokens in, as discovery.etcd.io kept them in an etcd. The service
 * makes and deletes tokens through etcd's Go client and passes members' requests (registrations,
 * long-polls for the others) through to our keys API. A token it hands out must bootstrap three
 * members of Debian's etcd, and another three of ours, into one cluster each; its own health
 * check (a token made and deleted) must pass.
 */
class DiscoveryServiceTest {

    static final Path SERVICE = Path.of("/usr/bin/discovery.etcd.io");
    /** The service reads it at start and exits without it; the package installs it. */
    static final Path SERVICE_CONFIG = Path.of("/etc/etcd-discovery/etcd-discovery.conf");
    private static final Duration BOOTSTRAP_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Process> started = new ArrayList<>();

    @Test
    @Timeout(value = 240, unit = java.util.concurrent.TimeUnit.SECONDS)
    void tokensKeptInOurKeySpaceBootstrapEtcdAndUs() throws IOException {
        requireService();
        RealEtcd.requireBinary();
        Assumptions.assumeTrue(OurServer.available(), "server module not on the class path");
        Path dir = Files.createTempDirectory("it-discovery-service-");
        try (OurServer registry = OurServer.start("registry", "discovery-registry")) {
            URI service = URI.create("http://127.0.0.1:" + LoopbackPorts.next());
            ProcessBuilder serviceCommand = new ProcessBuilder(SERVICE.toString(),
                "--etcd", registry.clientUrl().toString(), "--host", service.toString(),
                "--addr", service.getHost() + ":" + service.getPort());
            // the service also reads DISC_* variables: none of the caller's
            serviceCommand.environment().keySet().removeIf(k -> k.startsWith("DISC"));
            Path serviceLog = dir.resolve("discovery.log");
            start(serviceCommand, serviceLog);
            // /health makes a token and deletes it, through etcd's Go client, on our member
            Poll.require(Duration.ofSeconds(30), "the discovery service's health check",
                () -> Poll.body(service + "/health").equals("OK"));

            bootstrap("etcd", service, dir, registry, (m) -> {
                List<String> command = new ArrayList<>(List.of(RealEtcd.BINARY.toString(), "--enable-v2=true"));
                command.addAll(m);
                return command;
            });
            bootstrap("ours", service, dir, registry, (m) -> {
                List<String> command = OurServer.javaCommand();
                command.addAll(m);
                return command;
            });
            assertTrue(Processes.tail(serviceLog, 100_000).contains("/_config/size"),
                "the members did not go through the service:\n" + Processes.tail(serviceLog, 4000));
        } finally {
            for (Process p : started) {
                Processes.stop(p.pid(), Duration.ofSeconds(10));
            }
            Processes.deleteTree(dir);
        }
    }

    /** Three members of one kind started with a new token; they must form one cluster of three. */
    private void bootstrap(String kind, URI service, Path dir, OurServer registry,
            Function<List<String>, List<String>> command) throws IOException {
        String tokenUrl = Poll.body(service + "/new?size=3").strip();
        assertTrue(tokenUrl.matches(java.util.regex.Pattern.quote(service.toString()) + "/[0-9a-f]{32}"),
            "the service's new token: " + tokenUrl);
        String token = tokenUrl.substring(tokenUrl.lastIndexOf('/') + 1);
        TreeMap<String, URI> clients = new TreeMap<>();
        TreeMap<String, URI> peers = new TreeMap<>();
        List<Process> members = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String name = kind + i;
            URI client = URI.create("http://127.0.0.1:" + LoopbackPorts.next());
            URI peer = URI.create("http://127.0.0.1:" + LoopbackPorts.next());
            clients.put(name, client);
            peers.put(name, peer);
            List<String> flags = List.of("--name", name, "--data-dir", dir.resolve(name).toString(),
                "--listen-client-urls", client.toString(), "--advertise-client-urls", client.toString(),
                "--listen-peer-urls", peer.toString(), "--initial-advertise-peer-urls", peer.toString(),
                "--discovery", tokenUrl);
            ProcessBuilder builder = new ProcessBuilder(command.apply(flags));
            builder.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
            members.add(start(builder, dir.resolve(name + ".log")));
        }
        // none is healthy until all three have registered and elected a leader
        Poll.require(BOOTSTRAP_TIMEOUT, kind + "'s three members to bootstrap through the service",
            () -> clients.values().stream().allMatch(c -> Poll.healthy(c.toString())) || !allAlive(members));
        assertTrue(allAlive(members), () -> kind + ": a member exited:\n" + logs(dir, clients.keySet()));

        JsonNode listed = JSON.readTree(Poll.body(clients.firstEntry().getValue() + "/v2/members"));
        TreeMap<String, String> seen = new TreeMap<>();
        listed.get("members").forEach(m -> seen.put(m.get("name").asText(), m.get("peerURLs").get(0).asText()));
        TreeMap<String, String> expected = new TreeMap<>();
        peers.forEach((name, peer) -> expected.put(name, peer.toString()));
        assertEquals(expected, seen, kind + "'s members as one of them lists them");

        // one registration per member, under the token, in our key space
        JsonNode registered = JSON.readTree(Poll.body(registry.clientUrl() + "/v2/keys/_etcd/registry/" + token));
        List<String> values = new ArrayList<>();
        registered.get("node").get("nodes").forEach(n -> values.add(n.has("value") ? n.get("value").asText()
            : n.get("key").asText() + " (a directory)"));
        values.sort(null);
        List<String> expectedValues = new ArrayList<>();
        peers.forEach((name, peer) -> expectedValues.add(name + "=" + peer));
        assertEquals(expectedValues, values, kind + "'s registrations in the registry");

        // and the cluster serves: a write through one member, a quorum read through another
        URI first = clients.firstEntry().getValue();
        URI last = clients.lastEntry().getValue();
        assertEquals(201, RawHttp.send(first, RawRequest.of("PUT", "/v2/keys/bootstrapped").form("value=" + kind)).status());
        RawResponse read = RawHttp.send(last, RawRequest.of("GET", "/v2/keys/bootstrapped?quorum=true"));
        assertEquals(200, read.status(), read.body());
        assertEquals(kind, JSON.readTree(read.body()).get("node").get("value").asText());
    }

    private Process start(ProcessBuilder builder, Path log) {
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        try {
            Process p = builder.start();
            started.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean allAlive(List<Process> processes) {
        return processes.stream().allMatch(Process::isAlive);
    }

    private static String logs(Path dir, Iterable<String> names) {
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            out.append("--- ").append(name).append('\n').append(Processes.tail(dir.resolve(name + ".log"), 3000));
        }
        return out.toString();
    }

    /** Skips (no CI) or fails (CI) when Debian's etcd-discovery is not installed. */
    private static void requireService() {
        if (Files.isExecutable(SERVICE) && Files.isRegularFile(SERVICE_CONFIG)) {
            return;
        }
        String message = SERVICE + " is not installed (apt-get install etcd-discovery)";
        if (System.getenv("CI") != null) {
            throw new AssertionError("CI is set but " + message);
        }
        Assumptions.abort("skipped: " + message);
    }
}
