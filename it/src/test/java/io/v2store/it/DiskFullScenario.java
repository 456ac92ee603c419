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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A member whose disk fills, run by {@link DiskFullTest} in namespaces of its own, its data dir on
 * a 40 MiB tmpfs mounted at {@code <work>/../small}. Writes of 1 MiB values go on until one is not
 * acknowledged; the member then exits (as etcd does when its WAL cannot be written) rather than
 * answer without persisting; given room again (the tmpfs grown) and restarted, it serves every
 * write it acknowledged, and takes new ones.
 */
public final class DiskFullScenario {
    private static final int CLIENT = 12379;
    private static final int PEER = 12380;
    private static final String URL = "http://127.0.0.1:" + CLIENT;
    private static final int VALUE_BYTES = 1 << 20;
    private static final int MAX_WRITES = 200; // 40 MiB hold fewer than 60 of them, compressed
    private static final Duration START = Duration.ofSeconds(60);

    private final Path dir;
    private final Path small;
    private final ScenarioRun run;
    private final HttpClient http = HttpClient.newHttpClient();

    private DiskFullScenario(Path dir) {
        this.dir = dir;
        this.small = dir.resolveSibling("small");
        this.run = new ScenarioRun(dir);
    }

    public static void main(String[] args) throws Exception {
        DiskFullScenario scenario = new DiskFullScenario(Path.of(args[0]));
        scenario.run.runAndExit("DISK FULL SCENARIO PASSED", dns -> scenario.run());
    }

    private void run() throws Exception {
        Process member = member("m1");
        awaitHealthy();
        Map<String, String> acknowledged = new LinkedHashMap<>();
        String refusal = null;
        Random random = new Random(1);
        for (int i = 0; i < MAX_WRITES && refusal == null; i++) {
            String key = "/v2/keys/big/" + i;
            String value = incompressible(random); // the log's files compress what repeats
            HttpResponse<String> answer = put(key, value);
            if (answer != null && (answer.statusCode() == 200 || answer.statusCode() == 201)) {
                acknowledged.put(key, value);
            } else {
                refusal = answer == null ? "no answer" : answer.statusCode() + " " + answer.body();
            }
        }
        assertTrue(refusal != null, "the disk never filled in " + MAX_WRITES + " writes of 1 MiB");
        System.out.println(acknowledged.size() + " writes acknowledged, then: " + refusal);
        assertTrue(member.waitFor(START.toSeconds(), TimeUnit.SECONDS), "the member did not exit with its disk full");
        String log = Files.readString(dir.resolve("m1.log"));
        assertTrue(log.contains("No space left on device"), "the member's log does not say why:\n" + log);
        // not 0: a supervisor (systemd's Restart=on-failure) sees a failure, as with etcd's exit
        assertTrue(member.exitValue() != 0, "the member exited 0 with its disk full");
        System.out.println("the member exited " + member.exitValue() + ", saying: No space left on device");

        mount("remount,size=200m");
        member("m1");
        awaitHealthy();
        for (Map.Entry<String, String> written : acknowledged.entrySet()) {
            String key = written.getKey();
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(URL + key)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), key + ": " + answer.body());
            assertTrue(answer.body().contains("\"value\":\"" + written.getValue() + "\""), key + " lost its value");
        }
        HttpResponse<String> after = put("/v2/keys/after", "room");
        assertTrue(after != null && after.statusCode() == 201, "no write taken after the restart");
        System.out.println("restarted with room: all " + acknowledged.size() + " acknowledged writes read back,"
            + " and a new one taken");
    }

    private Process member(String name) throws IOException {
        return run.launchOurs(name, List.of(), List.of("--name", name, "--data-dir", small.resolve(name).toString(),
            "--listen-client-urls", URL, "--advertise-client-urls", URL,
            "--listen-peer-urls", "http://127.0.0.1:" + PEER, "--initial-advertise-peer-urls", "http://127.0.0.1:" + PEER,
            "--initial-cluster", name + "=http://127.0.0.1:" + PEER));
    }

    private static String incompressible(Random random) {
        return incompressible(random, VALUE_BYTES);
    }

    /** Letters and digits at random: a value the log's compression cannot shrink much. */
    static String incompressible(Random random, int bytes) {
        String letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder value = new StringBuilder(bytes);
        for (int i = 0; i < bytes; i++) value.append(letters.charAt(random.nextInt(letters.length())));
        return value.toString();
    }

    /** The answer, or null when the connection failed (the member gone). */
    private HttpResponse<String> put(String key, String value) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(URL + key)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("value=" + value)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        }
    }

    private void mount(String options) throws Exception {
        Process p = new ProcessBuilder("mount", "-o", options, small.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mount -o " + options + ": " + output);
    }

    private void awaitHealthy() {
        Poll.require(START, "the member to be healthy (" + dir + ")", () -> Poll.healthy(URL));
    }
}
