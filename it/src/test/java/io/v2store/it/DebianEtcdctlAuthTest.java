package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * etcdctl's user, role and auth commands, then keys commands as the guest, as a user and as root,
 * with Debian's etcdctl against the real etcd and against the candidate: the same stdout, stderr
 * and exit codes. Each test has servers of its own: turning auth on changes what every later
 * command of any other test would see.
 */
class DebianEtcdctlAuthTest {
    private ServerUnderTest reference;
    private ServerUnderTest candidate;

    @BeforeEach
    void startServers() {
        RealEtcd.requireBinary();
        if (!java.nio.file.Files.isExecutable(EtcdctlRun.BINARY)) {
            org.junit.jupiter.api.Assumptions.abort("skipped: " + EtcdctlRun.BINARY + " is not installed");
        }
        ServerPair servers = ServerPair.start("n1", "auth-token");
        reference = servers.reference();
        candidate = servers.candidate();
    }

    @AfterEach
    void stopServers() {
        if (candidate != null) {
            candidate.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    static List<List<String>> commands() {
        List<List<String>> all = new ArrayList<>();
        all.add(List.of("auth", "enable"));
        all.add(List.of("user", "add", "root:rootpw"));
        all.add(List.of("user", "add", "root:rootpw"));
        all.add(List.of("user", "list"));
        all.add(List.of("user", "get", "root"));
        all.add(List.of("role", "add", "app"));
        all.add(List.of("role", "add", "app"));
        all.add(List.of("role", "grant", "app", "--path", "/app/*", "--readwrite"));
        all.add(List.of("role", "grant", "app", "--path", "/app/*", "--read"));
        all.add(List.of("role", "grant", "app", "--path", "/app", "--read"));
        all.add(List.of("role", "revoke", "app", "--path", "/nothing", "--write"));
        all.add(List.of("role", "get", "app"));
        all.add(List.of("role", "get", "nope"));
        all.add(List.of("role", "list"));
        all.add(List.of("role", "add", "root"));
        all.add(List.of("role", "remove", "root"));
        all.add(List.of("user", "add", "svc:secret"));
        all.add(List.of("user", "grant", "svc", "--roles", "app"));
        all.add(List.of("user", "grant", "svc", "--roles", "app"));
        all.add(List.of("user", "revoke", "svc", "--roles", "nope"));
        all.add(List.of("user", "get", "svc"));
        all.add(List.of("user", "get", "nobody"));
        all.add(List.of("auth", "enable"));
        all.add(List.of("auth", "enable"));
        all.add(List.of("-u", "root:rootpw", "auth", "enable"));
        all.add(List.of("set", "/app/x", "1"));
        all.add(List.of("-u", "root:rootpw", "role", "revoke", "guest", "--path", "/*", "--readwrite"));
        all.add(List.of("set", "/app/x", "2"));
        all.add(List.of("get", "/app/x"));
        all.add(List.of("-u", "svc:secret", "set", "/app/x", "3"));
        all.add(List.of("-u", "svc:secret", "get", "/app/x"));
        all.add(List.of("-u", "svc:secret", "ls", "/app"));
        all.add(List.of("-u", "svc:secret", "set", "/other", "3"));
        all.add(List.of("-u", "svc:wrong", "get", "/app/x"));
        all.add(List.of("-u", "nobody:x", "get", "/app/x"));
        all.add(List.of("-u", "svc:secret", "user", "list"));
        all.add(List.of("-u", "root:rootpw", "user", "list"));
        all.add(List.of("-u", "root:rootpw", "ls", "--recursive", "/"));
        all.add(List.of("-u", "svc:secret", "auth", "disable"));
        all.add(List.of("-u", "root:rootpw", "user", "remove", "root"));
        all.add(List.of("-u", "root:rootpw", "auth", "disable"));
        all.add(List.of("user", "remove", "svc"));
        all.add(List.of("user", "remove", "svc"));
        all.add(List.of("role", "remove", "app"));
        all.add(List.of("user", "remove", "root"));
        all.add(List.of("user", "list"));
        all.add(List.of("role", "list"));
        return all;
    }

    /** The whole drop-in: our etcdctl on our server prints what Debian's prints on etcd. */
    @Test
    void ourEtcdctlOnTheCandidatePrintsWhatDebiansPrintsOnEtcd() {
        EtcdctlNormaliser onReference = new EtcdctlNormaliser(ServerContext.probe(reference));
        EtcdctlNormaliser onCandidate = new EtcdctlNormaliser(ServerContext.probe(candidate));
        List<Observation> expected = new ArrayList<>();
        List<Observation> actual = new ArrayList<>();
        for (List<String> args : commands()) {
            expected.add(relabel(onReference.normalise(EtcdctlRun.run(reference.clientUrl().toString(), args)), args));
            actual.add(relabel(onCandidate.normalise(OurEtcdctlRun.run(candidate.clientUrl().toString(), args)), args));
        }
        assertTrue(expected.stream().noneMatch(o -> o.status() == -1), "etcdctl timed out against etcd");
        Optional<String> diff = ScriptRunner.diff("etcdctl", "Debian etcdctl on " + reference.label(),
            expected, "our etcdctl on " + candidate.label(), actual);
        assertTrue(diff.isEmpty(), () -> diff.get());
    }

    @Test
    void debiansEtcdctlPrintsTheSameAgainstBoth() {
        ServerContext referenceContext = ServerContext.probe(reference);
        ServerContext candidateContext = ServerContext.probe(candidate);
        EtcdctlNormaliser onReference = new EtcdctlNormaliser(referenceContext);
        EtcdctlNormaliser onCandidate = new EtcdctlNormaliser(candidateContext);
        List<Observation> expected = new ArrayList<>();
        List<Observation> actual = new ArrayList<>();
        for (List<String> args : commands()) {
            EtcdctlRun a = EtcdctlRun.run(reference.clientUrl().toString(), args);
            EtcdctlRun b = EtcdctlRun.run(candidate.clientUrl().toString(), args);
            expected.add(relabel(onReference.normalise(a), args));
            actual.add(relabel(onCandidate.normalise(b), args));
        }
        assertTrue(expected.stream().noneMatch(o -> o.status() == -1), "etcdctl timed out against etcd");
        assertEquals(commands().size(), expected.size());
        // the sequence refuses and allows: a comparison of two servers that let everything
        // through would prove nothing
        assertTrue(actual.stream().filter(o -> o.headers().get("stderr").contains("Insufficient credentials")).count() >= 4,
            () -> actual.toString());
        Optional<String> diff = ScriptRunner.diff("etcdctl", reference.label(), expected, candidate.label(), actual);
        assertTrue(diff.isEmpty(), () -> diff.get());
    }

    private static Observation relabel(Observation o, List<String> args) {
        return new Observation("etcdctl " + String.join(" ", args), o.status(), o.headers(), o.body(), o.ttls(),
            o.otherReading());
    }
}
