package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.server.config.InitialCluster;
import io.v2store.server.config.SrvDomain;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How --discovery-srv turns SRV records into the initial cluster (the DNS itself: DnsSrvDiscoveryTest in it/). */
class SrvClusterTest {

  /** Records by service name, addresses by host name. */
  private static final class FakeDns implements SrvResolver {
    final Map<String, List<Srv>> records = new HashMap<>();
    final Map<String, String> hosts = new HashMap<>();

    FakeDns records(String service, String... targets) {
      records.put(service, java.util.Arrays.stream(targets).map(t -> {
        String[] hostPort = t.split(":");
        return new Srv(0, 0, Integer.parseInt(hostPort[1]), hostPort[0]);
      }).toList());
      return this;
    }

    FakeDns host(String name, String ip) {
      hosts.put(name, ip);
      return this;
    }

    @Override
    public List<Srv> srv(String service, String domain) throws LookupException {
      List<Srv> found = records.get("_" + service + "._tcp." + domain);
      if (found == null) throw new LookupException("lookup _" + service + "._tcp." + domain + ": no such host");
      return found;
    }

    @Override
    public String tcpAddress(String host, int port) throws LookupException {
      String ip = host.matches("[0-9.]+") ? host : hosts.get(host); // literal addresses resolve to themselves
      if (ip == null) throw new LookupException("lookup " + host + ": no such host");
      return ip + ":" + port;
    }
  }

  private static final SrvDomain DOMAIN = new SrvDomain("example.com", "");

  private static FakeDns threeHosts() {
    return new FakeDns().host("infra0.example.com", "10.0.1.10").host("infra1.example.com", "10.0.1.11")
        .host("infra2.example.com", "10.0.1.12");
  }

  private static Map<String, List<URI>> find(FakeDns dns, SrvDomain domain, String advertise)
      throws Discovery.DiscoveryException {
    return SrvCluster.find(dns, domain, "infra1", List.of(URI.create(advertise)), true);
  }

  @Test
  void httpRecordsAloneMakeTheClusterAndThisMemberIsFoundByAddress() throws Exception {
    FakeDns dns = threeHosts().records("_etcd-server._tcp.example.com",
        "infra0.example.com.:2380", "infra1.example.com.:2380", "infra2.example.com.:2380");
    // advertised by address, listed by name: the same member once both are resolved
    Map<String, List<URI>> cluster = find(dns, DOMAIN, "http://10.0.1.11:2380");
    assertEquals("0=http://infra0.example.com:2380,infra1=http://infra1.example.com:2380,"
        + "1=http://infra2.example.com:2380", InitialCluster.format(cluster));
  }

  @Test
  void httpsAndHttpRecordsAreCombinedWithDistinctPlaceholders() throws Exception {
    FakeDns dns = threeHosts()
        .records("_etcd-server-ssl._tcp.example.com", "infra0.example.com.:2380")
        .records("_etcd-server._tcp.example.com", "infra1.example.com.:2380", "infra2.example.com.:2380");
    Map<String, List<URI>> cluster = find(dns, DOMAIN, "http://infra1.example.com:2380");
    assertEquals("0=https://infra0.example.com:2380,infra1=http://infra1.example.com:2380,"
        + "1=http://infra2.example.com:2380", InitialCluster.format(cluster));
  }

  @Test
  void theServiceNameSuffixPicksAnotherClustersRecords() throws Exception {
    FakeDns dns = threeHosts().records("_etcd-server._tcp.example.com", "infra0.example.com.:2380")
        .records("_etcd-server-blue._tcp.example.com", "infra1.example.com.:2381");
    Map<String, List<URI>> cluster = find(dns, new SrvDomain("example.com", "blue"), "http://10.0.1.11:2381");
    assertEquals(Map.of("infra1", List.of(URI.create("http://infra1.example.com:2381"))), cluster);
  }

  @Test
  void noRecordsAtAllStopsTheStartWithBothLookupErrors() {
    Discovery.DiscoveryException e = assertThrows(Discovery.DiscoveryException.class,
        () -> find(threeHosts(), DOMAIN, "http://10.0.1.11:2380"));
    assertEquals("error setting up initial cluster: error querying DNS SRV records for _etcd-server-ssl "
        + "lookup _etcd-server-ssl._tcp.example.com: no such host; error querying DNS SRV records for "
        + "_etcd-server lookup _etcd-server._tcp.example.com: no such host", e.getMessage());
  }

  @Test
  void aMemberMissingFromTheRecordsCannotStartButAProxyCan() throws Exception {
    FakeDns dns = threeHosts().records("_etcd-server._tcp.example.com", "infra0.example.com.:2380",
        "infra2.example.com.:2380");
    Discovery.DiscoveryException e = assertThrows(Discovery.DiscoveryException.class,
        () -> find(dns, DOMAIN, "http://10.0.1.11:2380"));
    assertTrue(e.getMessage().startsWith("error setting up initial cluster: cannot find local etcd member "
        + "\"infra1\" in SRV records"), e.getMessage());
    Map<String, List<URI>> proxied = SrvCluster.find(dns, DOMAIN, "proxy",
        List.of(URI.create("http://127.0.0.1:2380")), false);
    assertEquals("0=http://infra0.example.com:2380,1=http://infra2.example.com:2380",
        InitialCluster.format(proxied));
  }

  @Test
  void aTargetThatDoesNotResolveIsSkippedAndOneWithTheWrongSchemeRefused() throws Exception {
    // "." says the service is not there (RFC 2782); the JDK would resolve the empty name it leaves
    // to this machine, which must not make it this member
    FakeDns dns = threeHosts().host("", "10.0.1.11").records("_etcd-server._tcp.example.com",
        "gone.example.com.:2380", ".:2380", "infra1.example.com.:2380");
    assertEquals(Map.of("infra1", List.of(URI.create("http://infra1.example.com:2380"))),
        find(dns, DOMAIN, "http://10.0.1.11:2380"));

    FakeDns tlsOnly = threeHosts().records("_etcd-server-ssl._tcp.example.com", "infra1.example.com.:2380");
    Discovery.DiscoveryException e = assertThrows(Discovery.DiscoveryException.class,
        () -> find(tlsOnly, DOMAIN, "http://10.0.1.11:2380"));
    assertTrue(e.getMessage().contains("error querying DNS SRV records for _etcd-server-ssl bootstrap at "
        + "https://infra1.example.com:2380 from DNS for etcd-server-ssl has scheme mismatch with expected "
        + "peer http://10.0.1.11:2380"), e.getMessage());
  }

  @Test
  void anAdvertisedHostThatDoesNotResolveStopsTheStart() {
    FakeDns dns = threeHosts().records("_etcd-server._tcp.example.com", "infra1.example.com.:2380");
    Discovery.DiscoveryException e = assertThrows(Discovery.DiscoveryException.class,
        () -> find(dns, DOMAIN, "http://nowhere.example.com:2380"));
    assertEquals("error setting up initial cluster: lookup nowhere.example.com: no such host", e.getMessage());
  }

  @Test
  void recordsComeLowestPriorityFirstAndEveryRecordOnce() {
    List<SrvResolver.Srv> records = List.of(new SrvResolver.Srv(20, 5, 1, "c."),
        new SrvResolver.Srv(10, 0, 2, "a."), new SrvResolver.Srv(10, 100, 3, "b."),
        new SrvResolver.Srv(30, 0, 4, "d."));
    for (int i = 0; i < 50; i++) {
      List<SrvResolver.Srv> ordered = SystemSrvResolver.ordered(records);
      assertEquals(4, ordered.size());
      assertEquals(10, ordered.get(0).priority());
      assertEquals(10, ordered.get(1).priority());
      assertEquals("c.", ordered.get(2).target());
      assertEquals("d.", ordered.get(3).target());
    }
  }

  @Test
  void httpsPeersWithoutAPeerCaAreCheckedAgainstTheDomain() {
    List<URI> https = List.of(URI.create("https://infra0.example.com:2380"), URI.create("http://infra1.example.com:2380"));
    List<URI> http = List.of(URI.create("http://infra0.example.com:2380"));
    assertEquals(java.util.Optional.of("example.com"), SrvCluster.peerServerName(DOMAIN, https, java.util.Optional.empty()));
    // a peer CA file: the URLs' hosts, as with any cluster
    assertEquals(java.util.Optional.empty(),
        SrvCluster.peerServerName(DOMAIN, https, java.util.Optional.of(java.nio.file.Path.of("/etc/ca.pem"))));
    assertEquals(java.util.Optional.empty(), SrvCluster.peerServerName(DOMAIN, http, java.util.Optional.empty()));
  }
}
