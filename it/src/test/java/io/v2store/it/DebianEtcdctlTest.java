package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's etcdctl (v2 mode) run with the same command sequence against the real etcd and the
 * candidate: stdout, stderr and exit code must match after normalisation.
 */
class DebianEtcdctlTest {

    private static ServerUnderTest reference;
    private static ServerUnderTest candidate;
    private static ServerContext referenceContext;
    private static ServerContext candidateContext;

    @BeforeAll
    static void startServers() {
        RealEtcd.requireBinary();
        if (!java.nio.file.Files.isExecutable(EtcdctlRun.BINARY)) {
            RealEtcd.requireBinary();
            org.junit.jupiter.api.Assumptions.abort("skipped: " + EtcdctlRun.BINARY + " is not installed");
        }
        ServerPair servers = ServerPair.start("n1", "ctl-token");
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

    /** Commands in order; {@code {{N}}} is the etcd index N relative to the server's start. */
    static List<List<String>> commands() {
        List<List<String>> all = new ArrayList<>();
        for (String output : List.of("simple", "extended", "json")) {
            String d = "/ctl-" + output;
            List<String> o = List.of("-o", output);
            all.add(concat(o, "set", d + "/a", "va"));
            all.add(concat(o, "set", d + "/a", "vb", "--ttl", "100"));
            all.add(concat(o, "get", d + "/a"));
            all.add(concat(o, "get", d + "/missing"));
            all.add(concat(o, "get", d));
            all.add(concat(o, "mk", d + "/a", "again"));
            all.add(concat(o, "mk", d + "/b", "vb"));
            all.add(concat(o, "mkdir", d + "/dir"));
            all.add(concat(o, "mkdir", d + "/dir"));
            all.add(concat(o, "setdir", d + "/b"));
            all.add(concat(o, "setdir", d + "/dir"));
            all.add(concat(o, "updatedir", d + "/dir", "--ttl", "100"));
            all.add(concat(o, "update", d + "/a", "vc"));
            all.add(concat(o, "update", d + "/nope", "vc"));
            all.add(concat(o, "set", d + "/a", "vd", "--swap-with-value", "vc"));
            all.add(concat(o, "set", d + "/a", "ve", "--swap-with-value", "wrong"));
            all.add(concat(o, "set", d + "/a", "vf", "--swap-with-index", "{{1}}"));
            all.add(concat(o, "set", d + "/dir/x/y", "deep"));
            all.add(concat(o, "ls", d));
            all.add(concat(o, "ls", "--recursive", "-p", "--sort", d));
            all.add(concat(o, "ls", d + "/a"));
            all.add(concat(o, "rmdir", d + "/dir"));
            all.add(concat(o, "rm", d + "/dir"));
            all.add(concat(o, "rm", "--dir", d + "/dir"));
            all.add(concat(o, "rm", "-r", d + "/dir"));
            all.add(concat(o, "mkdir", d + "/empty"));
            all.add(concat(o, "rmdir", d + "/empty"));
            all.add(concat(o, "rm", d + "/a", "--with-value", "wrong"));
            all.add(concat(o, "rm", d + "/a", "--with-value", "vd"));
            all.add(concat(o, "rm", d + "/a"));
            all.add(concat(o, "watch", "--after-index", "{{1}}", d + "/a"));
            all.add(concat(o, "watch", "--after-index", "{{1}}", "--recursive", d));
        }
        all.add(List.of("set", "/ctl/k"));
        all.add(List.of("get"));
        all.add(List.of("nosuchcommand"));
        all.add(List.of("-o", "yaml", "get", "/ctl-simple/b"));
        all.add(List.of("ls", "/"));
        all.add(List.of("ls", "--sort", "/"));
        all.add(List.of("member", "list"));
        all.add(List.of("member", "list", "extra"));
        all.add(List.of("cluster-health"));
        // usage errors: "Incorrect Usage" and the help on stdout, Go's flag error alone on stderr, exit 1
        all.add(List.of("--bogus", "get", "/ctl-simple/b"));
        all.add(List.of("get", "--bogus", "/ctl-simple/b"));
        all.add(List.of("ls", "-x"));
        all.add(List.of("member", "add", "--bogus", "n", "http://127.0.0.1:1"));
        all.add(List.of("user", "add", "--bogus", "u"));
        all.add(List.of("role", "grant", "--bogus", "r"));
        all.add(List.of("auth", "enable", "--bogus"));
        all.add(List.of("cluster-health", "--bogus"));
        all.add(List.of("-o"));
        all.add(List.of("--timeout=x", "get", "/ctl-simple/b"));
        all.add(List.of("-total-timeout", "5", "ls"));
        all.add(List.of("--no-sync=maybe", "ls"));
        all.add(List.of("ls", "-r=maybe", "/ctl-simple"));
        all.add(List.of("ls", "--sort=", "/ctl-simple"));
        all.add(List.of("--no-sync=", "get", "/ctl-simple/b"));
        all.add(List.of("set", "--ttl", "x", "/ctl/k", "v"));
        all.add(List.of("rm", "--with-index", "9223372036854775808", "/ctl/k"));
        // a flag by two of its names: refused at the level that defines it, the same name twice is not
        all.add(List.of("ls", "-r", "--recursive", "/ctl-simple"));
        all.add(List.of("get", "/ctl-simple/b", "--quorum", "-q"));
        all.add(List.of("-o", "json", "--output", "simple", "get", "/ctl-simple/b"));
        all.add(List.of("-o", "json", "--output", "simple", "--bogus", "get", "/ctl-simple/b"));
        all.add(List.of("-o", "json", "-o", "extended", "get", "/ctl-simple/b"));
        all.add(List.of("member", "--help", "-h"));
        all.add(List.of("member", "list", "-h", "--help"));
        all.add(List.of("-h", "--help"));
        return all;
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> out = new ArrayList<>(head);
        out.addAll(List.of(tail));
        return out;
    }

    private static List<String> resolve(List<String> args, ServerContext context) {
        return args.stream().map(a -> a.matches("\\{\\{\\d+}}")
            ? Long.toString(context.absolute(Long.parseLong(a.substring(2, a.length() - 2)))) : a).toList();
    }

    @Test
    void sameOutputAsWithEtcd() {
        EtcdctlNormaliser onReference = new EtcdctlNormaliser(referenceContext);
        EtcdctlNormaliser onCandidate = new EtcdctlNormaliser(candidateContext);
        List<Observation> expected = new ArrayList<>();
        List<Observation> actual = new ArrayList<>();
        for (List<String> args : commands()) {
            EtcdctlRun a = EtcdctlRun.run(reference.clientUrl().toString(), resolve(args, referenceContext));
            EtcdctlRun b = EtcdctlRun.run(candidate.clientUrl().toString(), resolve(args, candidateContext));
            expected.add(relabel(onReference.normalise(a), args));
            actual.add(relabel(onCandidate.normalise(b), args));
        }
        assertTrue(expected.stream().noneMatch(o -> o.status() == -1), "etcdctl timed out against etcd");
        assertEquals(commands().size(), expected.size());
        Optional<String> diff = ScriptRunner.diff("etcdctl", reference.label(), expected, candidate.label(), actual);
        assertTrue(diff.isEmpty(), () -> diff.get());
    }

    /** The whole drop-in: our etcdctl on our server prints what Debian's prints on etcd. */
    @Test
    void ourEtcdctlOnTheCandidatePrintsWhatDebiansPrintsOnEtcd() {
        EtcdctlNormaliser onReference = new EtcdctlNormaliser(referenceContext);
        EtcdctlNormaliser onCandidate = new EtcdctlNormaliser(candidateContext);
        List<Observation> expected = new ArrayList<>();
        List<Observation> actual = new ArrayList<>();
        for (List<String> args : commands()) {
            List<String> renamed = args.stream().map(a -> a.replace("/ctl", "/ours")).toList();
            EtcdctlRun a = EtcdctlRun.run(reference.clientUrl().toString(), resolve(renamed, referenceContext));
            EtcdctlRun b = OurEtcdctlRun.run(candidate.clientUrl().toString(), resolve(renamed, candidateContext));
            expected.add(relabel(onReference.normalise(a), renamed));
            actual.add(relabel(onCandidate.normalise(b), renamed));
        }
        Optional<String> diff = ScriptRunner.diff("etcdctl", "Debian etcdctl on " + reference.label(),
            expected, "our etcdctl on " + candidate.label(), actual);
        assertTrue(diff.isEmpty(), () -> diff.get());
    }

    private static Observation relabel(Observation o, List<String> args) {
        return new Observation("etcdctl " + String.join(" ", args), o.status(), o.headers(), o.body(), o.ttls(),
            o.otherReading());
    }
}
