package io.v2store.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * One Patroni (Debian's {@code patroni}, PostgreSQL's high-availability manager) and the
 * PostgreSQL it runs, both on loopback ports, with etcd's v2 API as its store. PostgreSQL refuses
 * to run as root, so as root both run as the {@code postgres} user that Debian's package makes.
 * Patroni starts PostgreSQL so that it outlives Patroni (a crash of Patroni must not stop the
 * database), so killing a node means killing both, by the pids they give: the process and
 * {@code postmaster.pid}.
 */
final class PatroniNode implements AutoCloseable {
  static final Path PATRONI = Path.of("/usr/bin/patroni");
  static final Path PATRONICTL = Path.of("/usr/bin/patronictl");
  private static final Path POSTGRES_LIBS = Path.of("/usr/lib/postgresql");
  private static final Pattern SELECTED = Pattern.compile("Selected new etcd server (\\S+)");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String name;
  final URI restUrl;
  private final Path dir;
  private final Path config;
  private final Path log;
  private Process process;

  /**
   * Writes the node's configuration: scope {@code scope}, its REST API on {@code restPort}, its
   * PostgreSQL on {@code pgPort}, the store at {@code etcdHosts} ("host:port,...").
   */
  PatroniNode(Path parent, String scope, String name, int restPort, int pgPort, String etcdHosts) throws IOException {
    this.name = name;
    this.restUrl = URI.create("http://127.0.0.1:" + restPort);
    this.dir = Files.createDirectory(parent.resolve(name));
    this.config = dir.resolve("patroni.yml");
    this.log = dir.resolve("patroni.log");
    // A short lease, so that a failover takes seconds: Patroni holds the leader key with a TTL of
    // `ttl` and refreshes it every `loop_wait`; a request is retried for up to `retry_timeout`.
    Files.writeString(config, String.join("\n",
        "scope: " + scope,
        "name: " + name,
        "restapi:",
        "  listen: 127.0.0.1:" + restPort,
        "  connect_address: 127.0.0.1:" + restPort,
        "etcd:",
        "  hosts: " + etcdHosts,
        "bootstrap:",
        "  dcs:",
        "    ttl: 10",
        "    loop_wait: 1",
        "    retry_timeout: 4",
        // The primary then names its synchronous standby in /service/<scope>/sync, written with
        // prevIndex, and only that standby may take over.
        "    synchronous_mode: true",
        "    postgresql:",
        "      parameters:",
        "        fsync: 'off'",
        "        max_connections: 20",
        "        shared_buffers: 16MB",
        "  initdb:",
        "  - encoding: UTF8",
        "  pg_hba:",
        "  - local all all trust",
        "  - host replication all 127.0.0.1/32 trust",
        "  - host all all 127.0.0.1/32 trust",
        "postgresql:",
        "  listen: 127.0.0.1:" + pgPort,
        "  connect_address: 127.0.0.1:" + pgPort,
        "  data_dir: " + dir.resolve("data"),
        "  pgpass: " + dir.resolve("pgpass"),
        "  bin_dir: " + postgresBin().orElseThrow(),
        "  authentication:",
        "    superuser:",
        "      username: postgres",
        "    replication:",
        "      username: postgres",
        "  parameters:",
        "    unix_socket_directories: " + dir,
        ""));
    if (runAsPostgres()) {
      giveToPostgres(dir);
      giveToPostgres(config);
    }
  }

  /** Skips (no CI) or fails (CI) unless Patroni and PostgreSQL's server are installed. */
  static void require() {
    if (Files.isExecutable(PATRONI) && Files.isExecutable(PATRONICTL) && postgresBin().isPresent()) {
      return;
    }
    String message = "Patroni or PostgreSQL is not installed (apt-get install patroni postgresql)";
    if (System.getenv("CI") != null) {
      throw new AssertionError("CI is set but " + message);
    }
    Assumptions.abort("skipped: " + message);
  }

  /** The newest installed PostgreSQL's bin directory (Debian installs each major version apart). */
  private static Optional<Path> postgresBin() {
    if (!Files.isDirectory(POSTGRES_LIBS)) return Optional.empty();
    try (Stream<Path> versions = Files.list(POSTGRES_LIBS)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(bin -> Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("initdb")))
          .max(Comparator.comparing(bin -> versionOf(bin.getParent())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int versionOf(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean runAsPostgres() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void giveToPostgres(Path p) throws IOException {
    UserPrincipalLookupService users = p.getFileSystem().getUserPrincipalLookupService();
    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
    view.setOwner(users.lookupPrincipalByName("postgres"));
    GroupPrincipal group = users.lookupPrincipalByGroupName("postgres");
    view.setGroup(group);
  }

  /** The command line, run as the postgres user when this runs as root (setpriv execs, keeping the pid). */
  private static List<String> asPostgres(String... command) {
    List<String> line = new ArrayList<>();
    if (runAsPostgres()) {
      line.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
    }
    line.addAll(List.of(command));
    return line;
  }

  void start() throws IOException {
    ProcessBuilder builder = new ProcessBuilder(asPostgres(PATRONI.toString(), config.toString()))
        .directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("HOME", dir.toString());
    process = builder.start();
  }

  /**
   * The status of a GET of the REST API's {@code path} ({@code /primary} answers 200 on the leader
   * only), 0 when it cannot be reached.
   */
  int status(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(restUrl.resolve(path)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  boolean isPrimary() {
    return status("/primary") == 200;
  }

  /** A running replica, streaming from the primary or catching up. */
  boolean isReplica() {
    return status("/replica") == 200;
  }

  /** Asks this node (the primary) to hand over to {@code candidate}; returns Patroni's answer. */
  String switchoverTo(PatroniNode candidate) throws IOException, InterruptedException {
    String body = "{\"leader\":\"" + name + "\",\"candidate\":\"" + candidate.name + "\"}";
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(restUrl.resolve("/switchover"))
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  /** The store member this node's Patroni last said it talks to, from its log. */
  Optional<URI> etcdServer() {
    Matcher m = SELECTED.matcher(logText());
    String last = null;
    while (m.find()) last = m.group(1);
    return Optional.ofNullable(last).map(URI::create);
  }

  /** {@code patronictl list} as an operator runs it, in JSON: one object per member. */
  String patronictlList() throws IOException, InterruptedException {
    List<String> command = asPostgres(PATRONICTL.toString(), "-c", config.toString(), "list", "-f", "json");
    Path out = dir.resolve("patronictl.out");
    Path err = dir.resolve("patronictl.err");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("HOME", dir.toString());
    Process p = builder.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("patronictl list hung:\n" + Files.readString(out) + Files.readString(err));
    }
    String text = Files.readString(out);
    if (p.exitValue() != 0) throw new AssertionError("patronictl list failed:\n" + text + Files.readString(err));
    return text;
  }

  /** A crash of the node's host: SIGKILL to Patroni and to PostgreSQL's postmaster at once. */
  void kill9() {
    Optional<Long> postmaster = postmasterPid();
    if (process != null) process.destroyForcibly();
    postmaster.flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    ClusterPoll.require(10_000, name + "'s Patroni and PostgreSQL to die after SIGKILL",
        () -> (process == null || !process.isAlive())
            && postmaster.flatMap(ProcessHandle::of).map(h -> !h.isAlive()).orElse(true));
  }

  private Optional<Long> postmasterPid() {
    Path pidFile = dir.resolve("data/postmaster.pid");
    try {
      if (!Files.exists(pidFile)) return Optional.empty();
      String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").strip();
      return first.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(first));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String logTail(int maxChars) {
    String text = logText();
    return text.length() <= maxChars ? text : text.substring(text.length() - maxChars);
  }

  /** SIGTERM (Patroni stops PostgreSQL, then itself), SIGKILL to both if that takes too long. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      ClusterPoll.until(20_000, () -> !process.isAlive());
    }
    kill9();
  }
}
