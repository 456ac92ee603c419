package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.server.TestCertificates;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * DNS SRV discovery over TLS, run by {@link DnsSrvDiscoveryTest} in namespaces of its own as
 * {@link SrvScenario} is. Every certificate names the SRV domain only, not the members' hosts:
 * etcd checks the domain instead of a URL's host in two places, and both must hold here.
 * <ul>
 *   <li>A member whose https peers came from the records, given no --peer-trusted-ca-file,
 *       checks its peers' certificates against the domain (with the system's CAs): three of ours
 *       form a cluster, as three of Debian's etcd do on the same kind of records, and a member
 *       restarted on its data still reaches its peers, as Debian's does.
 *   <li>etcdctl --discovery-srv checks every server's certificate against the domain, unless
 *       --insecure-discovery: Debian's etcdctl and ours print the same for the same commands,
 *       including the refusal of a server whose certificate is for another domain.
 * </ul>
 */
public final class SrvTlsScenario {
    private static final String OURS = "example.test";
    private static final String ETCDS = "etcd.test";
    private static final String OTHER = "other.test";
    private static final String PLAIN = "plain.test";
    private static final Duration START = Duration.ofSeconds(60);

    private final Path dir;
    private final ScenarioRun run;
    private TestCertificates certs;
    private HttpClient https;

    private SrvTlsScenario(Path dir) {
        this.dir = dir;
        this.run = new ScenarioRun(dir);
    }

    public static void main(String[] args) throws Exception {
        // the checks below reach members by address, with certificates that name the domain only
        System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
        SrvTlsScenario scenario = new SrvTlsScenario(Path.of(args[0]));
        scenario.run.runAndExit("SRV TLS SCENARIO PASSED", scenario::run);
    }

    private static int peerPort(String domain, int i) {
        return (domain.equals(OURS) ? 12480 : 12580) + i;
    }

    private static int clientPort(String domain, int i) {
        return (domain.equals(OURS) ? 12470 : 12570) + i;
    }

    private void run(TestNameServer dns) throws Exception {
        certs = TestCertificates.create(Files.createDirectories(dir.resolve("certs")));
        certs.signed("domains", "ca", "subjectAltName=DNS:" + OURS + ",DNS:" + ETCDS
            + "\nextendedKeyUsage=serverAuth,clientAuth\n", "rsa:2048");
        https = HttpClient.newBuilder().sslContext(trusting(certs.file("ca.pem"))).build();
        for (String domain : List.of(OURS, ETCDS)) {
            List<TestNameServer.Srv> peers = new ArrayList<>();
            List<TestNameServer.Srv> clients = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                dns.a.put("m" + i + "." + domain + ".", "127.0.0.1");
                peers.add(new TestNameServer.Srv(peerPort(domain, i), "m" + i + "." + domain + "."));
                clients.add(new TestNameServer.Srv(clientPort(domain, i), "m" + i + "." + domain + "."));
            }
            dns.srv.put("_etcd-server-ssl._tcp." + domain + ".", peers);
            dns.srv.put("_etcd-client-ssl._tcp." + domain + ".", clients);
        }
        // a domain whose one client record names a member of ours, whose certificate is not for it
        dns.srv.put("_etcd-client-ssl._tcp." + OTHER + ".",
            List.of(new TestNameServer.Srv(clientPort(OURS, 1), "m1." + OURS + ".")));
        // and one with only an http record, which etcdctl drops for the endpoints it was given
        dns.srv.put("_etcd-client._tcp." + PLAIN + ".",
            List.of(new TestNameServer.Srv(clientPort(OURS, 1), "m1." + OURS + ".")));

        // ours, on the system's CAs (the JDK's trust store here), with no --peer-trusted-ca-file;
        // launched now, beside Debian's, as their JVMs take seconds to start, but checked after
        Path trustStore = trustStore(certs.file("ca.pem"));
        List<String> jvm = List.of("-Djavax.net.ssl.trustStore=" + trustStore,
            "-Djavax.net.ssl.trustStorePassword=test", "-Djavax.net.ssl.trustStoreType=PKCS12");
        List<Process> ours = new ArrayList<>();
        for (int i = 1; i <= 3; i++) ours.add(run.launchOurs("m" + i, jvm, flags(OURS, i)));

        // Debian's etcd first: that these certificates and records make a cluster is etcd's rule
        List<Process> etcds = new ArrayList<>();
        for (int i = 1; i <= 3; i++) etcds.add(debianEtcd(i));
        for (int i = 1; i <= 3; i++) awaitHealthy(ETCDS, i);
        System.out.println("three of Debian's etcd checked their peers against " + ETCDS);
        restarted(ETCDS, 2, etcds.get(1), () -> debianEtcd(2));

        for (int i = 1; i <= 3; i++) awaitHealthy(OURS, i);
        String members = get(OURS, 1, "/v2/members");
        for (int i = 1; i <= 3; i++) {
            assertTrue(members.contains("\"name\":\"m" + i + "\""), members);
        }
        System.out.println("three of ours checked their peers against " + OURS + ": " + members);
        restarted(OURS, 2, ours.get(1), () -> run.launchOurs("m2", jvm, flags(OURS, 2)));

        String ca = certs.path("ca.pem");
        List<List<String>> commands = List.of(
            List.of("-D", OURS, "--ca-file", ca, "set", "/tls", "by-domain"),
            List.of("-D", OURS, "--ca-file", ca, "get", "/tls"),
            List.of("-D", OURS, "--ca-file", ca, "cluster-health"),
            // the records lead to a member of ours; its certificate is not for other.test
            List.of("-D", OTHER, "--ca-file", ca, "--no-sync", "get", "/tls"),
            // the domain still names the certificate when the endpoints come from elsewhere
            List.of("-D", PLAIN, "--ca-file", ca, "--endpoints",
                "https://127.0.0.1:" + clientPort(OURS, 2), "--no-sync", "get", "/tls"),
            // plain http to a TLS port: the member closes without an answer, etcd's does too
            List.of("--endpoints", "http://127.0.0.1:" + clientPort(OURS, 2), "--no-sync", "get", "/tls"));
        for (List<String> args : commands) {
            run.compareEtcdctl(args, Map.of());
        }
        System.out.println("etcdctl over TLS: ours and Debian's agree on " + commands.size() + " commands");
    }

    private interface Start {
        Process start() throws Exception;
    }

    /**
     * Member i of the domain, stopped and started again on its data, still reaches its peers: a
     * write through it commits (a follower sends it to the leader on a connection it dials).
     */
    private void restarted(String domain, int i, Process before, Start start) throws Exception {
        run.stop(before);
        start.start();
        Poll.require(START, "member " + i + " of " + domain + ", restarted, to take a write (" + dir + ")",
            () -> put(domain, i, "/v2/keys/restarted", "m" + i).contains("\"value\":\"m" + i + "\""));
        System.out.println("member " + i + " of " + domain + " restarted on its data and took a write");
    }

    /** On the system's CAs, which Go reads from SSL_CERT_FILE. */
    private Process debianEtcd(int i) throws java.io.IOException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/etcd", "--enable-v2=true"));
        command.addAll(flags(ETCDS, i));
        return run.launch("etcd" + i, command, Map.of("SSL_CERT_FILE", certs.path("ca.pem")));
    }

    private List<String> flags(String domain, int i) {
        String name = "m" + i;
        return List.of("--name", name, "--data-dir", dir.resolve(domain + "-" + name).toString(),
            "--discovery-srv", domain,
            "--initial-advertise-peer-urls", "https://" + name + "." + domain + ":" + peerPort(domain, i),
            "--listen-peer-urls", "https://127.0.0.1:" + peerPort(domain, i),
            "--peer-cert-file", certs.path("domains.pem"), "--peer-key-file", certs.path("domains.key"),
            "--listen-client-urls", "https://127.0.0.1:" + clientPort(domain, i),
            "--advertise-client-urls", "https://127.0.0.1:" + clientPort(domain, i),
            "--cert-file", certs.path("domains.pem"), "--key-file", certs.path("domains.key"));
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(caStore(caPem));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static KeyStore caStore(Path caPem) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        return store;
    }

    private Path trustStore(Path caPem) throws Exception {
        Path file = dir.resolve("certs").resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            caStore(caPem).store(out, "test".toCharArray());
        }
        return file;
    }

    private void awaitHealthy(String domain, int i) {
        Poll.require(START, "member " + i + " of " + domain + " to be healthy (" + dir + ")",
            () -> get(domain, i, "/health").contains("\"health\":\"true\""));
    }

    private String put(String domain, int i, String path, String value) {
        return send(domain, i, HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + clientPort(domain, i) + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .PUT(HttpRequest.BodyPublishers.ofString("value=" + value)));
    }

    private String get(String domain, int i, String path) {
        return send(domain, i, HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + clientPort(domain, i) + path)));
    }

    private String send(String domain, int i, HttpRequest.Builder request) {
        try {
            return https.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
