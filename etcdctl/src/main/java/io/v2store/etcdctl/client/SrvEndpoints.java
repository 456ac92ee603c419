package io.v2store.etcdctl.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import javax.naming.CommunicationException;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * --discovery-srv: the client URLs a domain publishes as SRV records, {@code
 * _etcd-client-ssl._tcp.<domain>} as https and {@code _etcd-client._tcp.<domain>} as http, in
 * that order; each target keeps its trailing dot, as in Go etcdctl
 * ({@code http://infra0.example.com.:2379}). Lookups use the JDK's DNS provider, which asks the
 * name servers of /etc/resolv.conf. The server's SystemSrvResolver asks DNS the same way; the
 * query is repeated there rather than shared because etcdctl depends on none of the server's
 * modules (it ships and starts alone).
 */
public final class SrvEndpoints {
    private SrvEndpoints() {
    }

    /** Both lookups failed; the message is Go etcdctl's ("dns lookup errors: ... and ..."). */
    public static final class LookupException extends Exception {
        private static final long serialVersionUID = 1L;

        LookupException(String message) {
            super(message, null, false, false);
        }
    }

    public static List<String> discover(String domain) throws LookupException {
        List<String> endpoints = new ArrayList<>();
        String httpsError = lookup("etcd-client-ssl", domain, "https", endpoints);
        String httpError = lookup("etcd-client", domain, "http", endpoints);
        if (httpsError != null && httpError != null) {
            throw new LookupException("dns lookup errors: " + httpsError + " and " + httpError);
        }
        return endpoints;
    }

    /** Adds the service's endpoints; returns Go's error text when the lookup fails, else null. */
    private static String lookup(String service, String domain, String scheme, List<String> into) {
        String name = "_" + service + "._tcp." + domain;
        Hashtable<String, String> env = new Hashtable<>();
        env.put(DirContext.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(DirContext.PROVIDER_URL, "dns:");
        env.put("com.sun.jndi.dns.timeout.initial", "2000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        List<String[]> records = new ArrayList<>();
        try {
            DirContext dns = new InitialDirContext(env);
            try {
                Attribute srv = dns.getAttributes(name, new String[] {"SRV"}).get("SRV");
                NamingEnumeration<?> values = srv == null ? null : srv.getAll();
                while (values != null && values.hasMore()) {
                    records.add(values.next().toString().trim().split("\\s+"));
                }
            } finally {
                dns.close();
            }
        } catch (NameNotFoundException e) {
            return failed(name, "no such host");
        } catch (CommunicationException e) {
            return failed(name, "i/o timeout");
        } catch (NamingException | RuntimeException e) {
            return failed(name, String.valueOf(e.getMessage()));
        }
        if (records.isEmpty()) {
            return failed(name, "no such host");
        }
        // lowest priority first, as Go's LookupSRV orders them (fields: priority weight port target)
        records.sort(Comparator.comparingInt(r -> Integer.parseInt(r[0])));
        for (String[] r : records) {
            String host = r[3].contains(":") ? "[" + r[3] + "]" : r[3];
            into.add(scheme + "://" + host + ":" + r[2]);
        }
        return null;
    }

    private static String failed(String name, String reason) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/resolv.conf"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2 && f[0].equals("nameserver")) {
                    return "lookup " + name + " on " + (f[1].contains(":") ? "[" + f[1] + "]" : f[1]) + ":53: "
                            + reason;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Go names the server it asked; without resolv.conf there is none to name
        }
        return "lookup " + name + ": " + reason;
    }
}
