package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A three-member cluster whose leader's disk fills, run by {@link DiskFullTest} in namespaces of
 * its own, each member's data dir on a 64 MiB tmpfs of its own under {@code <work>/../small}. The
 * leader's is filled up to its last few MiB; writes of 128 KiB sent through a follower go on. The
 * leader must exit rather than acknowledge what it could not persist, the other two must elect a
 * leader and take writes, and once it has room again and is restarted it must catch up: every
 * acknowledged write is then served by all three.
 */
public final class LeaderDiskFullScenario {
    private static final int MEMBERS = 3;
    private static final int VALUE_BYTES = 128 << 10;
    private static final long LEFT_FREE_BYTES = 4L << 20;
    private static final int MAX_WRITES = 180; // about 23 MiB: the followers' tmpfs hold it
    private static final int WRITES_AFTER_EXIT = 20;
    private static final Duration START = Duration.ofSeconds(60);

    private final Path small;
    private final ScenarioRun run;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Process[] members = new Process[MEMBERS];

    private LeaderDiskFullScenario(Path dir) {
        this.small = dir.resolveSibling("small");
        this.run = new ScenarioRun(dir);
    }

    public static void main(String[] args) throws Exception {
        LeaderDiskFullScenario scenario = new LeaderDiskFullScenario(Path.of(args[0]));
        scenario.run.runAndExit("LEADER DISK FULL SCENARIO PASSED", dns -> scenario.run());
    }

    private void run() throws Exception {
        for (int i = 0; i < MEMBERS; i++) members[i] = member(i);
        for (int i = 0; i < MEMBERS; i++) awaitHealthy(i);
        int leader = leader();
        int through = (leader + 1) % MEMBERS;
        Path filler = small.resolve("m" + leader).resolve("filler");
        fill(filler);
        System.out.println("m" + leader + " leads; its disk filled to its last "
            + Files.getFileStore(filler).getUsableSpace() / (1 << 20) + " MiB; writing through m" + through);

        Map<String, String> acknowledged = new LinkedHashMap<>();
        Random random = new Random(1);
        int afterExit = 0;
        for (int i = 0; i < MAX_WRITES && afterExit < WRITES_AFTER_EXIT; i++) {
            String key = "/v2/keys/big/" + i;
            String value = DiskFullScenario.incompressible(random, VALUE_BYTES);
            HttpResponse<String> answer = put(through, key, value);
            boolean acked = answer != null && answer.statusCode() / 100 == 2;
            if (acked) acknowledged.put(key, value);
            if (acked && !members[leader].isAlive()) afterExit++;
        }
        assertTrue(!members[leader].isAlive(), "the leader never stopped in " + MAX_WRITES + " writes");
        String log = Files.readString(run.dir.resolve("m" + leader + ".log"));
        assertTrue(log.contains("No space left on device"), "the leader's log does not say why:\n" + log);
        assertTrue(members[leader].exitValue() != 0, "the leader exited 0 with its disk full");
        assertEquals(WRITES_AFTER_EXIT, afterExit, "too few writes taken after the leader stopped");
        int next = leader();
        assertTrue(next != leader, "no new leader");
        System.out.println("m" + leader + " exited " + members[leader].exitValue()
            + " (No space left on device); m" + next + " leads; " + acknowledged.size()
            + " writes acknowledged, " + afterExit + " of them after the exit");

        Files.delete(filler);
        members[leader] = member(leader);
        awaitHealthy(leader);
        for (int i = 0; i < MEMBERS; i++) {
            int m = i;
            Poll.require(START, "m" + m + " to serve every acknowledged write",
                () -> missing(m, acknowledged).isEmpty());
        }
        System.out.println("m" + leader + " restarted with room and caught up: all "
            + acknowledged.size() + " acknowledged writes read back from each of the three");
    }

    private Process member(int i) throws IOException {
        List<String> cluster = new ArrayList<>();
        for (int j = 0; j < MEMBERS; j++) cluster.add("m" + j + "=" + peerUrl(j));
        return run.launchOurs("m" + i, List.of(), List.of("--name", "m" + i,
            "--data-dir", small.resolve("m" + i).resolve("data").toString(),
            "--listen-client-urls", clientUrl(i), "--advertise-client-urls", clientUrl(i),
            "--listen-peer-urls", peerUrl(i), "--initial-advertise-peer-urls", peerUrl(i),
            "--initial-cluster", String.join(",", cluster)));
    }

    private static String clientUrl(int i) {
        return "http://127.0.0.1:" + (12379 + 2 * i);
    }

    private static String peerUrl(int i) {
        return "http://127.0.0.1:" + (12380 + 2 * i);
    }

    /** Real bytes (a tmpfs counts only written pages) until LEFT_FREE_BYTES remain. */
    private static void fill(Path filler) throws IOException {
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (Files.getFileStore(filler).getUsableSpace() > LEFT_FREE_BYTES + chunk.length) {
                out.write(chunk);
                out.flush();
            }
        }
    }

    /** The member that names itself leader, polling until one does. */
    private int leader() {
        int[] found = {-1};
        Poll.require(START, "a leader", () -> {
            for (int i = 0; i < MEMBERS; i++) {
                if (members[i].isAlive() && get(i, "/v2/stats/self").contains("StateLeader")) {
                    found[0] = i;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private List<String> missing(int member, Map<String, String> acknowledged) {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> written : acknowledged.entrySet()) {
            if (!get(member, written.getKey()).contains("\"value\":\"" + written.getValue() + "\"")) {
                missing.add(written.getKey());
            }
        }
        return missing;
    }

    /** The body, or "" when the member does not answer. */
    private static String get(int member, String path) {
        return Poll.body(clientUrl(member) + path);
    }

    /** The answer, or null when the connection failed. */
    private HttpResponse<String> put(int member, String key, String value) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(clientUrl(member) + key))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("value=" + value)).build(),
                HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        }
    }

    private void awaitHealthy(int i) {
        Poll.require(START, "m" + i + " to be healthy", () -> Poll.healthy(clientUrl(i)));
    }
}
