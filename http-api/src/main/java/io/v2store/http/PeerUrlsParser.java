package io.v2store.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The body of POST/PUT /v2/members: {"peerURLs":[...]}, checked as etcd's types.NewURLs does
 * (Go's url.Parse, scheme, host:port, no path; sorted) and in its words, then for what our peer
 * transport can dial.
 */
final class PeerUrlsParser {
  /** Nested as deep as Go's decoder takes (Jackson's own bound is 1,000). */
  private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(10_001).build())
      .build());

  private PeerUrlsParser() {}

  /** A refusal: HTTP status and the {"message"} text. */
  static final class Refusal extends Exception {
    final int status;

    Refusal(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  static List<String> parse(String contentType, String body) throws Refusal {
    String ctype = contentType == null ? "" : contentType;
    int semicolon = ctype.indexOf(';');
    if (semicolon >= 0) {
      ctype = ctype.substring(0, semicolon).trim().toLowerCase(Locale.ROOT);
    }
    if (!ctype.equals("application/json")) {
      throw new Refusal(415, "Bad Content-Type " + ctype + ", accept application/json");
    }
    JsonNode root = readTree(body);
    JsonNode urls = null;
    if (root.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        // encoding/json matches field names case-insensitively
        if (field.getKey().equalsIgnoreCase("peerURLs")) {
          urls = field.getValue();
        }
      }
    } else if (!root.isNull()) {
      throw new Refusal(400, "json: cannot unmarshal " + goType(root)
          + " into Go value of type struct { PeerURLs []string \"json:\\\"peerURLs\\\"\" }");
    }
    List<String> result = new ArrayList<>();
    if (urls != null && !urls.isNull()) {
      if (!urls.isArray()) {
        throw new Refusal(400, "json: cannot unmarshal " + goType(urls)
            + " into Go struct field .peerURLs of type []string");
      }
      for (JsonNode u : urls) {
        if (!u.isTextual()) {
          throw new Refusal(400, "json: cannot unmarshal " + goType(u)
              + " into Go struct field .peerURLs of type string");
        }
        result.add(checkUrl(u.asText()));
      }
    }
    if (result.isEmpty()) {
      throw new Refusal(400, "no valid URLs given");
    }
    result.sort(null);
    return List.copyOf(result);
  }

  private static JsonNode readTree(String body) throws Refusal {
    // json.Unmarshal checks the whole body's syntax before it decodes any of it
    String syntax = GoJsonSyntax.error(body);
    if (syntax != null) {
      throw new Refusal(400, syntax);
    }
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      // valid JSON to Go, beyond a bound of Jackson's (a number of over 1,000 digits)
      throw new Refusal(400, e instanceof JsonProcessingException j ? j.getOriginalMessage()
          : e.getMessage());
    }
  }

  private static String goType(JsonNode node) {
    if (node.isTextual()) {
      return "string";
    }
    if (node.isNumber()) {
      return "number";
    }
    if (node.isBoolean()) {
      return "bool";
    }
    if (node.isArray()) {
      return "array";
    }
    return "object";
  }

  /** etcd's checks with etcd's words, then ours: a URL the peer transport can dial. */
  private static String checkUrl(String in) throws Refusal {
    String trimmed = in.strip();
    GoUrl url;
    try {
      url = GoUrl.parse(trimmed);
    } catch (GoUrl.ParseError e) {
      throw new Refusal(400, e.getMessage());
    }
    String scheme = url.scheme();
    boolean unix = scheme.equals("unix") || scheme.equals("unixs");
    if (!scheme.equals("http") && !scheme.equals("https") && !unix) {
      throw new Refusal(400, "URL scheme must be http, https, unix, or unixs: " + trimmed);
    }
    String notHostPort = "URL address does not have the form \"host:port\": " + trimmed;
    if (!url.hasHostPort()) {
      throw new Refusal(400, notHostPort);
    }
    if (!url.path().isEmpty()) {
      throw new Refusal(400, "URL must not contain a path: " + trimmed);
    }
    // etcd takes these too, and a member it cannot dial then stays unreachable; refused here, so
    // that no member list holds a peer that no member can reach.
    if (unix) {
      throw new Refusal(400, "unix socket peer URLs are not supported, use http or https: "
          + trimmed);
    }
    try {
      URI uri = new URI(trimmed);
      if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65_535) {
        throw new Refusal(400, notHostPort);
      }
    } catch (URISyntaxException e) {
      throw new Refusal(400, notHostPort);
    }
    return trimmed;
  }
}
