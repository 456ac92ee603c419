package io.v2store.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.v2store.raft.lin.Command;
import io.v2store.raft.lin.Outcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The v2 keys API as the linearizability checker sees it: each command maps to one request and
 * its answer to an {@link Outcome}. Anything but a definite answer (timeout, reset, 5xx) is
 * {@link Outcome.Unknown}; a refused connection means the request never arrived (null).
 */
final class V2Client {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Why recent operations ended unknown (status and body, or the exception), for failures. */
  static final java.util.Queue<String> UNKNOWN_REASONS =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final HttpClient http;
  private final Duration timeout;

  V2Client(long timeoutMillis) {
    this.timeout = Duration.ofMillis(timeoutMillis);
    this.http = HttpClient.newBuilder().connectTimeout(timeout)
        .version(HttpClient.Version.HTTP_1_1).build();
  }

  /** Runs command on key at member; null when the member refused the connection. */
  Outcome execute(URI member, String key, Command command) {
    String path = "/v2/keys/" + key;
    HttpRequest.Builder b;
    if (command instanceof Command.Set s) {
      b = put(member, path, s.value());
    } else if (command instanceof Command.Cas c) {
      b = put(member, path + "?prevValue=" + enc(c.expected()), c.value());
    } else if (command instanceof Command.Delete) {
      b = HttpRequest.newBuilder(member.resolve(path)).DELETE();
    } else {
      b = HttpRequest.newBuilder(member.resolve(path + "?quorum=true")).GET();
    }
    try {
      HttpResponse<String> r = http.send(b.timeout(timeout).build(),
          HttpResponse.BodyHandlers.ofString());
      Outcome o = interpret(command, r.statusCode(), JSON.readTree(r.body()));
      if (o instanceof Outcome.Unknown) noteUnknown(member + " " + r.statusCode() + " " + r.body());
      return o;
    } catch (ConnectException refused) {
      return null;
    } catch (IOException e) {
      noteUnknown(member + " " + e);
      return Outcome.UNKNOWN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.UNKNOWN;
    }
  }

  private static void noteUnknown(String reason) {
    UNKNOWN_REASONS.add(reason);
    while (UNKNOWN_REASONS.size() > 20) UNKNOWN_REASONS.poll();
  }

  private static Outcome interpret(Command command, int status, JsonNode body) {
    int errorCode = body.path("errorCode").asInt(0);
    if (command instanceof Command.Get) {
      if (status == 200) return new Outcome.Read(body.path("node").path("value").asText());
      return errorCode == 100 ? new Outcome.Read(null) : Outcome.UNKNOWN;
    }
    if (status == 200 || status == 201) return Outcome.OK;
    // 100 key not found (delete, CAS of an absent key), 101 compare failed: no effect
    boolean definite = !(command instanceof Command.Set) && (errorCode == 100 || errorCode == 101);
    return definite ? Outcome.FAILED : Outcome.UNKNOWN;
  }

  private static HttpRequest.Builder put(URI member, String path, String value) {
    return HttpRequest.newBuilder(member.resolve(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .PUT(HttpRequest.BodyPublishers.ofString("value=" + enc(value)));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A plain (local, possibly stale) GET of every key under the root: what the member holds. */
  JsonNode plainList(URI member) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(member.resolve("/v2/keys/?recursive=true"))
        .timeout(timeout).GET().build();
    return JSON.readTree(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
  }

  /** The members list of /v2/members as the member answers it. */
  JsonNode members(URI member) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(member.resolve("/v2/members")).timeout(timeout).build();
    return JSON.readTree(http.send(req, HttpResponse.BodyHandlers.ofString()).body()).path("members");
  }

  boolean healthy(URI member) {
    try {
      HttpRequest req = HttpRequest.newBuilder(member.resolve("/health")).timeout(timeout).build();
      return http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The member's Raft commit index (X-Raft-Index of a local read), or -1 when it does not answer. */
  long raftIndex(URI member) {
    return raftHeader(member, "X-Raft-Index");
  }

  /** The member's Raft term (X-Raft-Term of a local read), or -1 when it does not answer. */
  long raftTerm(URI member) {
    return raftHeader(member, "X-Raft-Term");
  }

  private long raftHeader(URI member, String header) {
    try {
      HttpRequest req = HttpRequest.newBuilder(member.resolve("/v2/keys/")).timeout(timeout).build();
      return http.send(req, HttpResponse.BodyHandlers.discarding()).headers()
          .firstValueAsLong(header).orElse(-1);
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The member's id as /v2/stats/self gives it (hex), or null when it does not answer. */
  String memberId(URI member) {
    try {
      HttpRequest req = HttpRequest.newBuilder(member.resolve("/v2/stats/self"))
          .timeout(timeout).build();
      JsonNode self = JSON.readTree(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
      return self.hasNonNull("id") ? self.get("id").asText() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  boolean isLeader(URI member) {
    try {
      HttpRequest req = HttpRequest.newBuilder(member.resolve("/v2/stats/self"))
          .timeout(timeout).build();
      JsonNode self = JSON.readTree(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
      return "StateLeader".equals(self.path("state").asText());
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
