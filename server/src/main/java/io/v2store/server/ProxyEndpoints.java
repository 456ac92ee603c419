package io.v2store.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * Where the proxy forwards clients: the members' client URLs, read from GET /members on their
 * peer URLs (ours and etcd's peer ports answer it alike) and read again every refresh interval.
 * The peer URLs asked next time are the ones the last answer listed, so the proxy follows the
 * cluster as members are replaced; each new set goes to {@code peersChanged} (the cluster file).
 * An endpoint that failed a request is passed over for the failure wait, as etcd's proxy does.
 */
final class ProxyEndpoints {
  private static final Logger LOG = Logger.getLogger("etcd");

  /** A member's client URL: where to connect, and whether with TLS (an https:// URL) to host. */
  record Endpoint(InetSocketAddress address, String host, boolean tls) {
    /** The client URL, as etcd's proxy prints it. */
    String url() {
      return (tls ? "https" : "http") + "://" + host + ":" + address.getPort();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Consumer<List<URI>> peersChanged;
  private volatile List<URI> peerUrls;
  private final long failureWaitNanos;
  private final int dialTimeoutMillis;
  private final SSLSocketFactory peerTls;
  private final Map<Endpoint, Long> failedUntil = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();
  private volatile List<Endpoint> endpoints = List.of();

  ProxyEndpoints(List<URI> peerUrls, long failureWaitMillis, long dialTimeoutMillis,
      Consumer<List<URI>> peersChanged) {
    this(peerUrls, failureWaitMillis, dialTimeoutMillis, null, peersChanged);
  }

  /** peerTls: how to ask https:// peer URLs (the peer TLS flags); null: the JDK's defaults. */
  ProxyEndpoints(List<URI> peerUrls, long failureWaitMillis, long dialTimeoutMillis,
      SSLContext peerTls, Consumer<List<URI>> peersChanged) {
    this.peerUrls = List.copyOf(peerUrls);
    this.peersChanged = peersChanged;
    this.failureWaitNanos = failureWaitMillis * 1_000_000;
    // 0: no timeout, as etcd's dialer (see ProxySettings.dialTimeout)
    this.dialTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, dialTimeoutMillis);
    this.peerTls = peerTls == null ? null : peerTls.getSocketFactory();
  }

  /** Asks the peers for the member list; keeps the last list known when none answers. */
  void refresh() {
    for (URI peer : peerUrls) {
      try {
        String answer = members(peer);
        if (answer == null) continue;
        List<Endpoint> found = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        List<URI> peers = new ArrayList<>();
        for (JsonNode member : JSON.readTree(answer)) {
          for (JsonNode url : member.path("peerURLs")) peers.add(URI.create(url.asText()));
          for (JsonNode url : member.path("clientURLs")) {
            URI client = URI.create(url.asText());
            boolean tls = "https".equals(client.getScheme());
            if (!(tls || "http".equals(client.getScheme())) || client.getPort() < 0) continue;
            // Resolved here, on the refresher's thread: an event loop must not wait for DNS.
            found.add(new Endpoint(new InetSocketAddress(client.getHost(), client.getPort()),
                client.getHost(), tls));
            urls.add(url.asText());
          }
        }
        if (found.isEmpty()) continue;
        if (!found.equals(endpoints)) LOG.info("proxy: endpoints found " + urls);
        endpoints = List.copyOf(found);
        if (!peers.isEmpty() && !peers.equals(peerUrls)) {
          LOG.info("proxy: peer urls now " + peers + " (were " + peerUrls + ")");
          peerUrls = List.copyOf(peers);
          peersChanged.accept(peerUrls);
        }
        return;
      } catch (Exception e) { // any peer that cannot answer: ask the next
        LOG.fine(() -> "proxy: no member list from " + peer + ": " + e);
      }
    }
    LOG.warning("proxy: no peer in " + peerUrls + " gave the member list; keeping " + endpoints);
  }

  /**
   * The body of a 200 answer to GET /members on the peer URL, or null. The connection is closed
   * once answered, as etcd's proxy closes it: kept open, it counted against the member's peer
   * connection budget for as long as the proxy ran (one per proxy, on the first peer URL), so a
   * fleet of proxies left no room there for the member's own peers.
   */
  private String members(URI peer) throws IOException {
    HttpURLConnection asked =
        (HttpURLConnection) peer.resolve("/members").toURL().openConnection(Proxy.NO_PROXY);
    try {
      if (peerTls != null && asked instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(peerTls);
      }
      asked.setConnectTimeout(dialTimeoutMillis);
      asked.setReadTimeout(5_000);
      asked.setInstanceFollowRedirects(false);
      asked.setUseCaches(false);
      asked.setRequestProperty("Connection", "close");
      if (asked.getResponseCode() != 200) return null;
      try (InputStream body = asked.getInputStream()) {
        return new String(body.readAllBytes(), StandardCharsets.UTF_8);
      }
    } finally {
      asked.disconnect();
    }
  }

  boolean isEmpty() {
    return endpoints.isEmpty();
  }

  /** The endpoints not passed over just now, in the members' order. */
  List<Endpoint> available() {
    long now = System.nanoTime();
    return endpoints.stream().filter(e -> {
      Long until = failedUntil.get(e);
      return until == null || until - now <= 0;
    }).toList();
  }

  /** The endpoints to try for one request, the next in turn first, failed ones left out. */
  List<Endpoint> forNextRequest() {
    List<Endpoint> all = endpoints;
    List<Endpoint> order = new ArrayList<>(all.size());
    long now = System.nanoTime();
    int start = all.isEmpty() ? 0 : Math.floorMod(next.getAndIncrement(), all.size());
    for (int i = 0; i < all.size(); i++) {
      Endpoint e = all.get((start + i) % all.size());
      Long until = failedUntil.get(e);
      if (until == null || until - now <= 0) order.add(e);
    }
    return order;
  }

  void failed(Endpoint endpoint) {
    LOG.warning("proxy: endpoint " + endpoint.address() + " failed; passed over for "
        + failureWaitNanos / 1_000_000 + " ms");
    failedUntil.put(endpoint, System.nanoTime() + failureWaitNanos);
  }
}
