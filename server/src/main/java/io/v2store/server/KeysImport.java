package io.v2store.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.util.ArrayList;
import java.util.List;

/**
 * --import-from: every key of a running etcd v2 cluster (or of ours), read with one linearizable
 * recursive GET, as the nodes and the X-Etcd-Index a new member starts from. The listing is
 * parsed as a stream: a million keys arrive as one body of ~150 MB, which a JSON tree in memory
 * would multiply. Keys whose name starts with "_" are not in any listing etcd gives (hidden), so
 * they cannot be copied this way.
 */
final class KeysImport {
  private static final Duration CONNECT = Duration.ofSeconds(10);
  private static final Duration READ = Duration.ofMinutes(10);

  record Listing(List<ImportedNode> nodes, long index) {}

  private KeysImport() {}

  /**
   * The keys of the cluster at clientUrl (http or https; user:password in the URL is sent as
   * basic auth, for a cluster with v2 auth on), or of a file that holds such an answer with its
   * headers (what {@code curl -si URL/v2/keys/?recursive=true&sorted=true} saves): the way in for
   * a cluster only a client with its own certificates can reach.
   */
  static Listing read(URI source) throws IOException, InterruptedException {
    if ("file".equals(source.getScheme())) {
      try (InputStream in = new java.io.BufferedInputStream(
          java.nio.file.Files.newInputStream(java.nio.file.Path.of(source)), 1 << 16)) {
        return fromSavedAnswer(in, source.toString());
      }
    }
    String userInfo = source.getRawUserInfo();
    String base = source.toString().replaceAll("/+$", "");
    if (userInfo != null) base = base.replace(userInfo + "@", "");
    URI url = URI.create(base + "/v2/keys/?recursive=true&sorted=true&quorum=true");
    HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT)
        .version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(READ).GET();
    if (userInfo != null) {
      request.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
          java.net.URLDecoder.decode(userInfo, StandardCharsets.UTF_8)
              .getBytes(StandardCharsets.UTF_8)));
    }
    HttpResponse<InputStream> response = http.send(request.build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("GET " + url + " answered " + response.statusCode() + ": "
            + new String(body.readNBytes(512), StandardCharsets.UTF_8));
      }
      String index = response.headers().firstValue("X-Etcd-Index")
          .orElseThrow(() -> new IOException(url + " is not an etcd v2 API: no X-Etcd-Index"));
      return new Listing(nodes(body), index(index, url.toString()));
    }
  }

  /** A saved answer: status line, headers, an empty line, the listing. */
  private static Listing fromSavedAnswer(InputStream in, String name) throws IOException {
    String status = line(in);
    if (!status.matches("HTTP/\\S+ 200( .*)?")) {
      throw new IOException(name + ": not a saved 200 answer (curl -si) but: " + status);
    }
    String index = null;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("X-Etcd-Index")) {
        index = header.substring(colon + 1).trim();
      }
    }
    if (index == null) throw new IOException(name + ": no X-Etcd-Index header in the answer");
    return new Listing(nodes(in), index(index, name));
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
    try (JsonParser json = new JsonFactory().createParser(body)) {
      expect(json.nextToken() == JsonToken.START_OBJECT, json);
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        json.nextToken();
        if (field.equals("node")) {
          node(json, nodes, true);
        } else {
          json.skipChildren();
        }
      }
    }
    return nodes;
  }

  /** One node object (the parser on its START_OBJECT), then its children: pre-order. */
  private static void node(JsonParser json, List<ImportedNode> out, boolean root)
      throws IOException {
    expect(json.currentToken() == JsonToken.START_OBJECT, json);
    String key = null;
    String value = null;
    boolean dir = false;
    long created = 0;
    long modified = 0;
    long expiration = NodeView.NEVER;
    int slot = out.size();
    if (!root) out.add(null); // this node's place, before its children
    while (json.nextToken() == JsonToken.FIELD_NAME) {
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
          while (json.nextToken() == JsonToken.START_OBJECT) node(json, out, false);
        }
        default -> json.skipChildren(); // ttl: the expiration says it exactly
      }
    }
    if (root) return;
    if (key == null || (!dir && value == null)) {
      throw new IOException("a node without its key or value near " + json.currentLocation());
    }
    out.set(slot, new ImportedNode(key, dir, dir ? null : value, created, modified, expiration));
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
