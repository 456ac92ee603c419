package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --auto-tls and --peer-auto-tls: three members with https client and peer URLs and no
 * certificate files form a cluster over TLS; each made its own certificates under
 * data-dir/fixtures, as etcd does; a client trusting a member's certificate (curl, Debian's
 * etcdctl) reads and writes; a restarted member keeps its certificate.
 */
class AutoTlsTest {
  private static final String DEBIAN_ETCDCTL = "/usr/bin/etcdctl";

  @TempDir
  Path dir;

  @Test
  void membersWithAutoTlsFormAClusterAndClientsTrustTheirCertificates() throws Exception {
    // the health poll cannot know the certificates before the members make them
    SSLContext trustAll = SSLContext.getInstance("TLS");
    trustAll.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
    List<ServerProcess> members = new ArrayList<>();
    for (String name : List.of("n1", "n2", "n3")) {
      members.add(new ServerProcess(name, dir.resolve(name), "https", "https",
          List.of("--auto-tls", "--peer-auto-tls"), trustAll));
    }
    String cluster = String.join(",", members.stream().map(m -> m.name() + "=" + m.peerUrl())
        .toList());
    try {
      ServerProcess.startTogether(members, cluster);
      ServerProcess n1 = members.get(0);
      Path cert = dir.resolve("n1/fixtures/client/cert.pem");
      for (String kind : List.of("client", "peer")) {
        Path made = dir.resolve("n1/fixtures/" + kind);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
        assertEquals("rw-------", PosixFilePermissions.toString(
            Files.getPosixFilePermissions(made.resolve("key.pem"))));
      }
      assertTrue(n1.log().contains("listening for peers on /127.0.0.1:"), n1::logTail);
      assertTrue(n1.log().contains("with TLS"), n1::logTail);
      String subject = openssl(cert, "-subject", "-ext", "subjectAltName");
      assertTrue(subject.contains("O = etcd") && subject.contains("IP Address:127.0.0.1"),
          subject);

      CommandResult put = CommandResult.run(Map.of(), List.of("curl", "-sS", "--max-time", "10",
          "--cacert", cert.toString(), "-XPUT", n1.clientUrl() + "/v2/keys/auto",
          "-d", "value=encrypted"));
      assertTrue(put.out().contains("\"value\":\"encrypted\""), put::toString);
      // replicated over the peers' TLS; read from n2 with Debian's etcdctl trusting n2's own
      CommandResult get = CommandResult.run(Map.of("ETCDCTL_API", "2"), List.of(DEBIAN_ETCDCTL,
          "--endpoints", members.get(1).clientUrl(),
          "--ca-file", dir.resolve("n2/fixtures/client/cert.pem").toString(), "get", "/auto"));
      assertEquals(0, get.exit(), get::toString);
      assertEquals("encrypted", get.out().strip(), get::toString);

      byte[] before = Files.readAllBytes(cert);
      n1.close();
      n1.start(cluster, "new");
      assertArrayEquals(before, Files.readAllBytes(cert), "a restart made a new certificate");
      CommandResult again = CommandResult.run(Map.of(), List.of("curl", "-sS", "--max-time",
          "10", "--cacert", cert.toString(), n1.clientUrl() + "/v2/keys/auto"));
      assertTrue(again.out().contains("\"value\":\"encrypted\""), again::toString);
    } finally {
      for (ServerProcess m : members) m.close();
    }
  }

  private static String openssl(Path cert, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl", "x509", "-noout", "-in",
        cert.toString()));
    command.addAll(List.of(args));
    CommandResult r = CommandResult.run(Map.of(), command);
    assertEquals(0, r.exit(), r::toString);
    return r.out();
  }
}
