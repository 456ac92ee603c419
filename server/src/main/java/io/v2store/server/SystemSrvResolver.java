package io.v2store.server;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.naming.CommunicationException;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * SRV lookups through the JDK's DNS provider, which asks the name servers of /etc/resolv.conf
 * (as Go's resolver does); host names through the system resolver (/etc/hosts, then DNS).
 * etcdctl's SrvEndpoints makes the same query for client URLs (a copy: etcdctl depends on none
 * of the server's modules).
 */
final class SystemSrvResolver implements SrvResolver {

  @Override
  public List<Srv> srv(String service, String domain) throws LookupException {
    String name = "_" + service + "._tcp." + domain;
    Hashtable<String, String> env = new Hashtable<>();
    env.put(DirContext.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
    env.put(DirContext.PROVIDER_URL, "dns:");
    // glibc's and Go's defaults are 5 s and two attempts; a bootstrap should not hang longer.
    env.put("com.sun.jndi.dns.timeout.initial", "2000");
    env.put("com.sun.jndi.dns.timeout.retries", "2");
    List<Srv> records = new ArrayList<>();
    try {
      DirContext dns = new InitialDirContext(env);
      try {
        Attribute srv = dns.getAttributes(name, new String[] {"SRV"}).get("SRV");
        if (srv != null) {
          NamingEnumeration<?> values = srv.getAll();
          while (values.hasMore()) records.add(parse(values.next().toString()));
        }
      } finally {
        dns.close();
      }
    } catch (NameNotFoundException e) {
      throw failed(name, "no such host");
    } catch (CommunicationException e) {
      throw failed(name, "i/o timeout");
    } catch (NamingException | RuntimeException e) {
      throw failed(name, String.valueOf(e.getMessage()));
    }
    if (records.isEmpty()) throw failed(name, "no such host");
    return ordered(records);
  }

  @Override
  public String tcpAddress(String host, int port) throws LookupException {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    try {
      InetAddress address = InetAddress.getByName(bare);
      String ip = address.getHostAddress();
      return (address instanceof Inet6Address ? "[" + ip + "]" : ip) + ":" + port;
    } catch (UnknownHostException e) {
      throw new LookupException("lookup " + bare + ": no such host");
    }
  }

  private static Srv parse(String record) throws LookupException {
    String[] f = record.trim().split("\\s+");
    try {
      return new Srv(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3]);
    } catch (RuntimeException e) {
      throw new LookupException("cannot parse DNS SRV record \"" + record + "\"");
    }
  }

  /**
   * RFC 2782's order, as Go's LookupSRV gives it: by priority, and within a priority a random
   * order in which a record's chance to come first is its share of the weights.
   */
  static List<Srv> ordered(List<Srv> records) {
    List<Srv> byPriority = new ArrayList<>(records);
    byPriority.sort(Comparator.comparingInt(Srv::priority));
    List<Srv> out = new ArrayList<>();
    int i = 0;
    while (i < byPriority.size()) {
      int j = i;
      while (j < byPriority.size() && byPriority.get(j).priority() == byPriority.get(i).priority()) j++;
      List<Srv> group = new ArrayList<>(byPriority.subList(i, j));
      while (!group.isEmpty()) {
        int total = group.stream().mapToInt(s -> s.weight() + 1).sum();
        int pick = ThreadLocalRandom.current().nextInt(total);
        int k = 0;
        while (pick >= group.get(k).weight() + 1) pick -= group.get(k++).weight() + 1;
        out.add(group.remove(k));
      }
      i = j;
    }
    return out;
  }

  private static LookupException failed(String name, String reason) {
    return new LookupException("lookup " + name + nameServer() + ": " + reason);
  }

  /** " on 10.0.0.2:53", the first name server Go's error would name, when resolv.conf has one. */
  private static String nameServer() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/resolv.conf"))) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 2 && f[0].equals("nameserver")) {
          return " on " + (f[1].contains(":") ? "[" + f[1] + "]" : f[1]) + ":53";
        }
      }
    } catch (IOException | RuntimeException e) {
      // the message loses a detail, nothing else
    }
    return "";
  }
}
