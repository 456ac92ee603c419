package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random keys-API traffic ({@link KeysTraffic}), byte for byte the same to the real etcd and to
 * the candidate, one request at a time to each; every normalised answer must match. A seed
 * replays exactly the same requests. {@code -Dit.keysFuzzSeeds=3,4,5} runs other seeds.
 */
class KeysFuzzTest {

    private static final int REQUESTS = 300;
    private static final Pattern LONG_RUN = Pattern.compile("(.)\\1{39,}");

    static LongStream seeds() {
        // 4: its traffic has POSTs with ttl=0, whose new keys' expiry is awaited by their index
        return FuzzSeeds.from("it.keysFuzzSeeds", "1,2,4");
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomKeysTrafficIsAnsweredAsEtcdAnswersIt(long seed) {
        RealEtcd.requireBinary();
        try (ServerPair servers = ServerPair.start("n1", "keys-fuzz-" + seed)) {
            Pair pair = new Pair(seed, servers.reference(), servers.candidate());
            KeysSeen seen = new KeysSeen();
            KeysTraffic traffic = new KeysTraffic(new Random(seed), seen);
            Tally tally = new Tally();
            for (int i = 1; i <= REQUESTS; i++) {
                RawRequest request = traffic.next();
                Observation expected = pair.compare("request " + i, new Script("fuzz").send(request), request);
                tally.count(request, expected);
                Optional<String> expiring = seen.learn(request, expected);
                if (expiring.isPresent()) {
                    // ttl=0: each server removes the node on its own next tick; wait for both
                    String target = KeysTraffic.awaitPath(expiring.get());
                    pair.compare("the expiry after request " + i,
                        new Script("expiry").awaitStatus(target, 404), RawRequest.of("GET", target));
                }
            }
            tally.check(seed);
        }
    }

    /** The two servers and their runners; a step goes to the reference first, then the candidate. */
    private static final class Pair {
        private final long seed;
        private final ServerUnderTest reference;
        private final ServerUnderTest candidate;
        private final ScriptRunner onReference;
        private final ScriptRunner onCandidate;

        Pair(long seed, ServerUnderTest reference, ServerUnderTest candidate) {
            this.seed = seed;
            this.reference = reference;
            this.candidate = candidate;
            this.onReference = new ScriptRunner(ServerContext.probe(reference));
            this.onCandidate = new ScriptRunner(ServerContext.probe(candidate));
        }

        /** Runs a one-step script on both and returns the reference's observation. */
        Observation compare(String what, Script step, RawRequest request) {
            Observation expected = onReference.run(step).get(0);
            Observation actual = onCandidate.run(step).get(0);
            String where = "seed " + seed + ", " + what + ": " + shorten(request.toString())
                + "\n  ({{N}} is the index N after each server's start)\n";
            assertTrue(expected.status() != -1, () -> where + "the reference itself failed: " + shorten(expected.body()));
            assertTrue(expected.matches(actual), () -> where + "   " + reference.label() + ":\n"
                + shorten(expected.render()) + "   " + candidate.label() + ":\n" + shorten(actual.render()));
            return expected;
        }

        /** Long values written as {@code <10240 x 'v'>}, so that a failure stays readable. */
        private static String shorten(String text) {
            Matcher run = LONG_RUN.matcher(text);
            StringBuilder out = new StringBuilder();
            while (run.find()) {
                run.appendReplacement(out, Matcher.quoteReplacement(
                    "<" + run.group().length() + " x '" + run.group(1) + "'>"));
            }
            return run.appendTail(out).toString();
        }
    }

    /** Guards the generator: traffic that never succeeds, fails or watches would prove little. */
    private static final class Tally {
        private int succeeded;
        private int refused;
        private int watched;

        void count(RawRequest request, Observation answer) {
            if (answer.status() / 100 == 2) {
                succeeded++;
                if (request.target().contains("wait=true") && request.method().equals("GET")) {
                    watched++;
                }
            } else if (answer.status() / 100 == 4) {
                refused++;
            }
        }

        void check(long seed) {
            String counts = "seed " + seed + ": " + succeeded + " succeeded, " + refused + " refused, "
                + watched + " watches answered";
            assertTrue(succeeded > REQUESTS / 4 && refused > REQUESTS / 10 && watched > 5, counts);
        }
    }
}
