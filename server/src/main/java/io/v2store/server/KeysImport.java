package io.v2store.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.v2store.storage.store.ImportedNode;
import io.v2store.storage.store.NodeView;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * --import-from: every key of a running etcd v2 cluster (or of ours), read with one linearizable
 * recursive GET, as the nodes and the X-Etcd-Index a new member starts from. The listing is
 * parsed as a stream: a million keys arrive as one body of ~150 MB, which a JSON tree in memory
 * would multiply. Keys whose name starts with "_" are in no listing etcd gives (hidden): a
 * source may name such a directory itself (URL/v2/keys/_name), and from a cluster's URL fleet's
 * "/_coreos.com" is read too, when it is there, since CoreOS clusters keep their units in it.
 */
final class KeysImport {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger("etcd");
  private static final Duration CONNECT = Duration.ofSeconds(10);
  private static final Duration READ = Duration.ofMinutes(10);

  /**
   * Jackson stops at 1,000 levels of nesting, which a listing reaches at 500 levels of keys; Go's
   * decoder, etcdctl's, at 10,000.
   */
  private static final JsonFactory LISTINGS = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(10_000).build())
      .build();

  record Listing(List<ImportedNode> nodes, long index) {}

  private KeysImport() {}

  /** The keys could not be had: a line for the operator, where etcd's tools would print one. */
  static final class ImportException extends IOException {
    private static final long serialVersionUID = 1L;

    ImportException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** fleet's state: hidden, so no listing of "/" has it, and a CoreOS cluster cannot lose it. */
  static final String FLEET = "/_coreos.com";

  /**
   * The nodes of every source, in order, a node already had from an earlier one skipped; the
   * index is the highest any source gave (writers should be stopped while they are read).
   */
  static Listing read(List<URI> sources) throws IOException, InterruptedException {
    java.util.LinkedHashMap<String, ImportedNode> byPath = new java.util.LinkedHashMap<>();
    long index = 0;
    for (URI source : sources) {
      for (Listing listing : readOne(source)) {
        for (ImportedNode n : listing.nodes()) byPath.putIfAbsent(n.path(), n);
        index = Math.max(index, listing.index());
      }
    }
    return new Listing(List.copyOf(byPath.values()), index);
  }

  /**
   * One source: a cluster's client URL (http or https; user:password in it is sent as basic
   * auth, for a cluster with v2 auth on), which gives "/" and fleet's directory; such a URL
   * with a key path (http://old:2379/v2/keys/_hidden), which gives that node and what is below
   * it; or a file that holds such an answer with its headers (what {@code curl -si} saves), the
   * way in for a cluster only a client with its own certificates can reach.
   */
  private static List<Listing> readOne(URI source) throws IOException, InterruptedException {
    if ("file".equals(source.getScheme())) {
      try (InputStream in = new java.io.BufferedInputStream(
          java.nio.file.Files.newInputStream(java.nio.file.Path.of(source)), 1 << 16)) {
        return List.of(fromSavedAnswer(in, source.toString()));
      }
    }
    String userInfo = source.getRawUserInfo();
    String base = source.getScheme() + "://" + source.getRawAuthority().substring(
        userInfo == null ? 0 : userInfo.length() + 1);
    String path = source.getRawPath() == null ? "" : source.getRawPath().replaceAll("/+$", "");
    // getUserInfo decodes %XX only: a '+' in a password stays a '+' (URLDecoder's would not)
    String authorization = userInfo == null ? null : "Basic " + java.util.Base64.getEncoder()
        .encodeToString(source.getUserInfo().getBytes(StandardCharsets.UTF_8));
    if (path.startsWith("/v2/keys/")) {
      return List.of(get(base + path, authorization, false));
    }
    List<Listing> both = new ArrayList<>();
    both.add(get(base + "/v2/keys/", authorization, false));
    Listing fleet = get(base + "/v2/keys" + FLEET, authorization, true);
    if (fleet != null) both.add(fleet);
    long v3Keys = v3KeyCount(base, authorization);
    if (v3Keys > 0) {
      LOG.warning("import: " + base + " also holds " + v3Keys + " keys written through etcd's v3"
          + " API (etcdctl put: Debian's etcdctl speaks v3 unless ETCDCTL_API=2), which this"
          + " server does not serve: only its v2 keys are imported");
    }
    return both;
  }

  /**
   * How many keys the cluster at base holds in etcd's v3 key space, a separate store that no v2
   * listing shows (etcd 3.4's gateway, POST /v3/kv/range over every key, counting only); -1
   * where that cannot be asked (an etcd 2, a gateway turned off, v3 auth on, ours).
   */
  private static long v3KeyCount(String base, String authorization) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v3/kv/range"))
        .timeout(CONNECT).header("Content-Type", "application/json")
        // key "\0" with range_end "\0": every key
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"key\":\"AA==\",\"range_end\":\"AA==\",\"count_only\":true}"))
        .build();
    try {
      HttpResponse<String> answer = HttpClient.newBuilder().connectTimeout(CONNECT)
          .version(HttpClient.Version.HTTP_1_1).build()
          .send(request, HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) return -1;
      com.fasterxml.jackson.databind.JsonNode count =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).path("count");
      // proto3's JSON leaves a count of 0 out, and writes an int64 as a string
      return count.isMissingNode() ? 0 : Long.parseLong(count.asText());
    } catch (IOException | RuntimeException notAnEtcd3) {
      return -1;
    }
  }

  /** A recursive, sorted, linearizable GET; null for a 404 when that may be (absent). */
  private static Listing get(String keyUrl, String authorization, boolean mayBeAbsent)
      throws IOException, InterruptedException {
    URI url = URI.create(keyUrl + "?recursive=true&sorted=true&quorum=true");
    HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT)
        .version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(READ).GET();
    if (authorization != null) request.header("Authorization", authorization);
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (java.net.ConnectException e) {
      // the JDK's client says nothing more than the exception's class for a refused connection
      throw new IOException("GET " + url + ": cannot connect" + (e.getMessage() == null ? ""
          : ": " + e.getMessage()), e);
    } catch (IOException e) {
      throw new IOException("GET " + url + ": " + (e.getMessage() == null
          ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() == 404 && mayBeAbsent) return null;
      if (response.statusCode() != 200) {
        String text = new String(body.readNBytes(512), StandardCharsets.UTF_8);
        // Go's own 404, not the v2 API's JSON: etcd 3.4 serves /v2 only when started with it on.
        String hint = response.statusCode() == 404 && text.startsWith("404 page not found")
            ? " (etcd 3.4 serves the v2 API only with --enable-v2=true: restart it so to read"
                + " its keys)"
            : "";
        throw new IOException("GET " + url + " answered " + response.statusCode() + ": "
            + text.strip() + hint);
      }
      String index = response.headers().firstValue("X-Etcd-Index")
          .orElseThrow(() -> new IOException(url + " is not an etcd v2 API: no X-Etcd-Index"));
      return new Listing(nodes(body), index(index, url.toString()));
    }
  }

  /** A saved answer: status line, headers, an empty line, the listing. */
  private static Listing fromSavedAnswer(InputStream in, String name) throws IOException {
    String status = line(in);
    boolean notFound = status.matches("HTTP/\\S+ 404( .*)?");
    if (!status.matches("HTTP/\\S+ 200( .*)?") && !notFound) {
      throw new IOException(name + ": not a saved 200 answer (curl -si) but: " + status);
    }
    String index = null;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("X-Etcd-Index")) {
        index = header.substring(colon + 1).trim();
      }
    }
    if (notFound) {
      // fleet's directory saved from a cluster that has none: as from a URL, nothing to import
      if (!isFleetNotFound(new String(in.readNBytes(4096), StandardCharsets.UTF_8))) {
        throw new IOException(name + ": not a saved 200 answer (curl -si) but: " + status);
      }
      return new Listing(List.of(), index == null ? 0 : index(index, name));
    }
    if (index == null) throw new IOException(name + ": no X-Etcd-Index header in the answer");
    return new Listing(nodes(in), index(index, name));
  }

  /** etcd's answer to a GET of fleet's directory where there is none: error 100 naming it. */
  private static boolean isFleetNotFound(String body) {
    try (JsonParser json = LISTINGS.createParser(body)) {
      long errorCode = -1;
      String cause = null;
      if (json.nextToken() != JsonToken.START_OBJECT) return false;
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        if (field.equals("errorCode") && value == JsonToken.VALUE_NUMBER_INT) {
          errorCode = json.getLongValue();
        } else if (field.equals("cause") && value == JsonToken.VALUE_STRING) {
          cause = json.getText();
        } else {
          json.skipChildren();
        }
      }
      return errorCode == 100 && FLEET.equals(cause);
    } catch (IOException e) {
      return false;
    }
  }

  private static String line(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) throw new IOException("the saved answer ends inside its headers");
      bytes.write(b);
    }
    return bytes.toString(StandardCharsets.ISO_8859_1).replaceAll("\r$", "");
  }

  private static long index(String header, String source) throws IOException {
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      throw new IOException(source + ": X-Etcd-Index is not a number: " + header);
    }
  }

  private static List<ImportedNode> nodes(InputStream body) throws IOException {
    List<ImportedNode> nodes = new ArrayList<>();
    try (JsonParser json = LISTINGS.createParser(body)) {
      expect(json.nextToken() == JsonToken.START_OBJECT, json);
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        json.nextToken();
        if (field.equals("node")) {
          node(json, nodes);
        } else {
          json.skipChildren();
        }
      }
    }
    return nodes;
  }

  /**
   * One node object (the parser on its START_OBJECT), then its children: pre-order. The root,
   * which has no key, is not a node to import; the top node of a listing of a key is. Without
   * recursion: a listing is as deep as a key's path (etcd holds about 2,000 levels).
   */
  private static void node(JsonParser json, List<ImportedNode> out) throws IOException {
    expect(json.currentToken() == JsonToken.START_OBJECT, json);
    ArrayDeque<Fields> open = new ArrayDeque<>();
    open.push(new Fields(out));
    while (!open.isEmpty()) {
      Fields node = open.peek();
      JsonToken t = json.nextToken();
      if (node.inNodes) {
        if (t == JsonToken.START_OBJECT) {
          open.push(new Fields(out));
        } else {
          node.inNodes = false; // the list's end
        }
      } else if (t == JsonToken.FIELD_NAME) {
        node.read(json);
      } else {
        open.pop();
        node.finish(json, out);
      }
    }
  }

  /** The fields of one node object read so far, and its place in the pre-order list. */
  private static final class Fields {
    final int slot;
    String key;
    String value;
    boolean dir;
    long created;
    long modified;
    long expiration = NodeView.NEVER;
    /** Between the "nodes" list's '[' and its ']'. */
    boolean inNodes;

    Fields(List<ImportedNode> out) {
      slot = out.size();
      out.add(null); // this node's place, before its children
    }

    /** The parser on a field's name. */
    void read(JsonParser json) throws IOException {
      String field = json.currentName();
      JsonToken t = json.nextToken();
      switch (field) {
        case "key" -> key = json.getText();
        case "value" -> value = json.getText();
        case "dir" -> dir = t == JsonToken.VALUE_TRUE;
        case "createdIndex" -> created = json.getLongValue();
        case "modifiedIndex" -> modified = json.getLongValue();
        case "expiration" -> expiration = epochNanos(json.getText());
        case "nodes" -> {
          expect(t == JsonToken.START_ARRAY, json);
          inNodes = true;
        }
        default -> json.skipChildren(); // ttl: the expiration says it exactly
      }
    }

    void finish(JsonParser json, List<ImportedNode> out) throws IOException {
      if (key == null && dir) {
        out.remove(slot); // the root: once per listing, its first slot
        return;
      }
      if (key == null || (!dir && value == null)) {
        throw new IOException("a node without its key or value near " + json.currentLocation());
      }
      out.set(slot, new ImportedNode(key, dir, dir ? null : value, created, modified, expiration));
    }
  }

  private static long epochNanos(String rfc3339) throws IOException {
    try {
      Instant at = Instant.parse(rfc3339);
      return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IOException("not an expiration: " + rfc3339, e);
    }
  }

  private static void expect(boolean ok, JsonParser json) throws IOException {
    if (!ok) throw new IOException("not an etcd keys listing near " + json.currentLocation());
  }
}
