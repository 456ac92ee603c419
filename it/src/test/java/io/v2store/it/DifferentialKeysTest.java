package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The same scripted raw HTTP requests against the real etcd and the candidate (our server, or a
 * second etcd until ours exists); after normalisation every status, compared header and body
 * must be equal. Scripts run in a fixed order on both servers so that indexes stay aligned.
 */
class DifferentialKeysTest {

    private static final String NAME = "n1";
    private static final String TOKEN = "it-token";

    private static ServerUnderTest reference;
    private static ServerUnderTest candidate;
    private static ServerContext referenceContext;
    private static ServerContext candidateContext;

    @BeforeAll
    static void startServers() {
        RealEtcd.requireBinary();
        ServerPair servers = ServerPair.start(NAME, TOKEN);
        reference = servers.reference();
        candidate = servers.candidate();
        referenceContext = ServerContext.probe(reference);
        candidateContext = ServerContext.probe(candidate);
    }

    @AfterAll
    static void stopServers() {
        if (candidate != null) {
            candidate.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    static List<Script> scripts() {
        List<Script> all = new ArrayList<>();
        all.addAll(HttpBasicsScripts.all());
        all.addAll(KeyWriteScripts.all());
        all.addAll(WatchTtlScripts.all());
        return all;
    }

    @TestFactory
    Stream<DynamicTest> sameResponsesAsEtcd() {
        ScriptRunner onReference = new ScriptRunner(referenceContext);
        ScriptRunner onCandidate = new ScriptRunner(candidateContext);
        return scripts().stream().map(script -> DynamicTest.dynamicTest(script.name(), () -> {
            List<Observation> expected = onReference.run(script);
            List<Observation> actual = onCandidate.run(script);
            assertTrue(expected.stream().noneMatch(o -> o.status() == -1),
                () -> "the reference itself failed in '" + script.name() + "' (a script error): "
                    + expected.stream().filter(o -> o.status() == -1).map(o -> o.step() + " -> " + o.body()).toList());
            Optional<String> diff = ScriptRunner.diff(script.name(), reference.label(), expected,
                candidate.label(), actual);
            assertTrue(diff.isEmpty(), () -> diff.get());
            assertTrue(expected.size() == script.steps().size(), "every step observed");
        }));
    }
}
