package io.v2store.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.v2store.server.config.InitialCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * etcd's v2 discovery (--discovery): the members of a new cluster find each other through a
 * directory of another etcd's v2 key space (https://discovery.etcd.io/&lt;token&gt;, or any
 * http://host:port/v2/keys/&lt;dir&gt; whose {@code _config/size} says how many members to wait
 * for). Each member registers "name=peerURL" under its member id, then waits until the first
 * {@code size} registrations (by creation) are there: those are the initial cluster. Read from
 * etcd 3.4's v2discovery: the same requests, the same order, the same errors.
 */
final class Discovery {
  private static final Logger LOG = Logger.getLogger("etcd");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The Go client's default per-request timeout; a watch has none. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  /** Backoff after a failed request doubles from 2 s, up to 2^8 s, for ever (as etcd). */
  private static final int MAX_BACKOFF_EXPONENT = 8;

  /** One of etcd's discovery errors, in its words. */
  static final class DiscoveryException extends Exception {
    private static final long serialVersionUID = 1L;

    DiscoveryException(String message) {
      super(message, null, false, false);
    }
  }

  static final String FULL_CLUSTER = "discovery: cluster is full";
  static final String DUPLICATE_ID = "discovery: found duplicate id";

  private record Registration(String key, String value, long createdIndex) {}

  /** full: the first size registrations are there and this member is not among them. */
  private record Listing(List<Registration> nodes, int size, long index, boolean full) {}

  private final HttpClient http;
  private final String name;
  private final URI base;
  private final String cluster;
  private final String selfName;
  private int retries;

  private Discovery(String name, URI url, long selfId, Optional<InetSocketAddress> proxy) {
    HttpClient.Builder client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(REQUEST_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL);
    // --discovery-proxy: every request through it, the loopback's too (as Go's ProxyURL does)
    proxy.ifPresent(p -> client.proxy(ProxySelector.of(p)));
    this.http = client.build();
    this.name = name;
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    this.cluster = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.base = URI.create(url.getScheme() + "://" + url.getRawAuthority());
    this.selfName = Long.toHexString(selfId);
  }

  /**
   * Registers this member (registration: its "name=peerURL" pairs) and waits for the rest;
   * returns the initial cluster the first {@code size} registrations make.
   */
  static Map<String, List<URI>> join(String name, URI url, Optional<InetSocketAddress> proxy,
      long selfId, String registration) throws DiscoveryException, InterruptedException {
    return new Discovery(name, url, selfId, proxy).join(registration);
  }

  /**
   * For a proxy (--proxy on with --discovery): the cluster behind the directory, once its size
   * members have registered; nothing is registered.
   */
  static Map<String, List<URI>> cluster(String name, URI url, Optional<InetSocketAddress> proxy)
      throws DiscoveryException, InterruptedException {
    Discovery discovery = new Discovery(name, url, 0, proxy); // id 0 is never registered: never "self"
    Listing listing = discovery.checkCluster();
    return discovery.toCluster(listing.full() ? listing.nodes() : discovery.waitNodes(listing),
        listing.size());
  }

  private Map<String, List<URI>> join(String registration)
      throws DiscoveryException, InterruptedException {
    if (checkCluster().full()) { // refused before anything is written
      throw new DiscoveryException(FULL_CLUSTER);
    }
    createSelf(registration);
    Listing listing = checkCluster();
    if (listing.full()) throw new DiscoveryException(FULL_CLUSTER);
    return toCluster(waitNodes(listing), listing.size());
  }

  private Map<String, List<URI>> toCluster(List<Registration> all, int size)
      throws DiscoveryException {
    List<String> values = new ArrayList<>();
    for (Registration r : all) values.add(r.value());
    Map<String, List<URI>> initial;
    try {
      initial = InitialCluster.parse(String.join(",", values));
    } catch (IllegalArgumentException e) {
      throw new DiscoveryException("discovery: invalid URL");
    }
    if (initial.size() != size) {
      throw new DiscoveryException("discovery: found duplicate name");
    }
    return initial;
  }

  private Listing checkCluster() throws DiscoveryException, InterruptedException {
    while (true) {
      try {
        HttpResponse<String> sizeAnswer = get(cluster + "/_config/size", false);
        JsonNode size = parse(sizeAnswer);
        if (sizeAnswer.statusCode() == 404 && size.path("errorCode").asInt() == 100) {
          throw new DiscoveryException("discovery: size key not found");
        }
        if (sizeAnswer.statusCode() != 200) throw new IOException(describe(sizeAnswer));
        int wanted;
        try {
          wanted = Integer.parseInt(size.path("node").path("value").asText());
        } catch (NumberFormatException e) {
          throw new DiscoveryException("discovery: size key is bad");
        }
        if (wanted < 1) throw new DiscoveryException("discovery: size key is bad");
        HttpResponse<String> dirAnswer = get(cluster, false);
        JsonNode dir = parse(dirAnswer);
        if (dirAnswer.statusCode() != 200) throw new IOException(describe(dirAnswer));
        List<Registration> nodes = new ArrayList<>();
        for (JsonNode n : dir.path("node").path("nodes")) {
          Registration r = registration(n);
          if (!baseName(r.key()).equals("_config")) nodes.add(r);
        }
        nodes.sort(Comparator.comparingLong(Registration::createdIndex));
        long index = dirAnswer.headers().firstValueAsLong("X-Etcd-Index").orElse(0);
        for (int i = 0; i < nodes.size(); i++) {
          if (baseName(nodes.get(i).key()).equals(selfName)) break;
          if (i >= wanted - 1) return new Listing(nodes.subList(0, wanted), wanted, index, true);
        }
        return new Listing(nodes, wanted, index, false);
      } catch (IOException e) {
        backOff("cluster status check", e);
      }
    }
  }

  private void createSelf(String registration) throws DiscoveryException, InterruptedException {
    String key = cluster + "/" + selfName;
    while (true) {
      try {
        HttpResponse<String> created = send(HttpRequest.newBuilder(base.resolve(key + "?prevExist=false"))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .PUT(HttpRequest.BodyPublishers.ofString(
                "value=" + URLEncoder.encode(registration, StandardCharsets.UTF_8))));
        JsonNode answer = parse(created);
        if (created.statusCode() == 412 && answer.path("errorCode").asInt() == 105) {
          throw new DiscoveryException(DUPLICATE_ID);
        }
        if (created.statusCode() != 201) throw new IOException(describe(created));
        // As etcd: wait until the registration shows on the server we talk to.
        long index = answer.path("node").path("createdIndex").asLong();
        HttpResponse<String> seen = get(key + "?wait=true&waitIndex=" + index, true);
        if (seen.statusCode() != 200) throw new IOException(describe(seen));
        LOG.info(() -> name + ": registered with the discovery service as " + selfName);
        return;
      } catch (IOException e) {
        backOff("registration", e);
      }
    }
  }

  private List<Registration> waitNodes(Listing listing)
      throws DiscoveryException, InterruptedException {
    List<Registration> all = new ArrayList<>(
        listing.nodes().subList(0, Math.min(listing.size(), listing.nodes().size())));
    for (Registration r : all) {
      LOG.info(() -> name + ": found " + (baseName(r.key()).equals(selfName) ? "self " : "peer ")
          + baseName(r.key()) + " in the cluster");
    }
    long after = listing.index();
    while (all.size() < listing.size()) {
      int missing = listing.size() - all.size();
      LOG.info(() -> name + ": found " + (listing.size() - missing) + " of " + listing.size()
          + " members; waiting for " + missing + " more");
      try {
        HttpResponse<String> event =
            get(cluster + "?wait=true&recursive=true&waitIndex=" + (after + 1), true);
        JsonNode answer = parse(event);
        if (event.statusCode() == 400 && answer.path("errorCode").asInt() == 401) {
          // The directory's server moved past our index (busy with other keys): list it again.
          Listing again = checkCluster();
          all = new ArrayList<>(again.nodes().subList(0, Math.min(again.size(), again.nodes().size())));
          after = again.index();
          continue;
        }
        if (event.statusCode() != 200) throw new IOException(describe(event));
        JsonNode node = answer.path("node");
        after = node.path("modifiedIndex").asLong(after + 1);
        Registration r = registration(node);
        boolean created = answer.path("action").asText().matches("create|set");
        if (!created || baseName(r.key()).equals("_config") || r.key().contains("/_config/")
            || all.stream().anyMatch(known -> known.key().equals(r.key()))) {
          continue;
        }
        LOG.info(() -> name + ": found peer " + baseName(r.key()) + " in the cluster");
        all.add(r);
      } catch (IOException e) {
        backOff("waiting for the other members", e);
      }
    }
    return all;
  }

  private HttpResponse<String> get(String pathAndQuery, boolean wait)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET();
    if (!wait) request.timeout(REQUEST_TIMEOUT);
    return send(request);
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode parse(HttpResponse<String> answer) throws DiscoveryException {
    try {
      return JSON.readTree(answer.body());
    } catch (IOException e) {
      throw new DiscoveryException("discovery: bad discovery endpoint");
    }
  }

  private static Registration registration(JsonNode node) {
    return new Registration(node.path("key").asText(), node.path("value").asText(),
        node.path("createdIndex").asLong());
  }

  private static String baseName(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }

  private static String describe(HttpResponse<String> answer) {
    return "HTTP " + answer.statusCode() + " " + answer.body().strip();
  }

  private void backOff(String step, IOException cause) throws InterruptedException {
    retries++;
    long seconds = 1L << Math.min(retries, MAX_BACKOFF_EXPONENT);
    // A refused connection's exception has no message: name it by its class then.
    String why = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    LOG.warning(() -> name + ": discovery " + step + " failed (" + why + "); retrying in "
        + seconds + "s");
    Thread.sleep(seconds * 1000);
  }
}
