package io.v2store.server;

import io.v2store.server.config.ConfigLoader;
import io.v2store.server.config.LoadResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Run once at package time under {@code -XX:ArchiveClassesAtExit} (server/pom.xml) to record the
 * classes a member loads into the class-data sharing archive bin/etcd starts with: loading and
 * verifying them was most of a restart's time. A one-member cluster on free loopback ports in a
 * temporary directory is started, written to (past a snapshot), read, watched, stopped, and
 * started again from its data, which is the path a restart takes.
 */
public final class CdsTraining {
  static {
    // What EtcdMain sets, so the archive holds the same logging classes.
    System.setProperty("java.util.logging.manager", ServerLogManager.class.getName());
  }

  private static final int WRITES = 40;
  private static final long READY_MILLIS = 60_000;

  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    Logger.getLogger("").setLevel(Level.WARNING); // a quiet build log
    Path dir = Files.createTempDirectory("v2store-cds");
    try {
      int client = freePort();
      int peer = freePort();
      for (int start = 0; start < 2; start++) {
        try (EtcdMember member = start(dir, client, peer)) {
          exercise("http://127.0.0.1:" + client);
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
    }
    System.exit(0); // the archive is written at exit; stray non-daemon threads must not hold it
  }

  private static EtcdMember start(Path dir, int client, int peer) throws Exception {
    String c = "http://127.0.0.1:" + client;
    String p = "http://127.0.0.1:" + peer;
    LoadResult loaded = ConfigLoader.load(new String[] {"--name", "cds", "--data-dir",
        dir.resolve("cds").toString(), "--listen-client-urls", c, "--advertise-client-urls", c,
        "--listen-peer-urls", p, "--initial-advertise-peer-urls", p, "--initial-cluster",
        "cds=" + p, "--snapshot-count", "10", "--log-level", "error"}, Map.of());
    if (!(loaded instanceof LoadResult.Run run)) {
      throw new IllegalStateException("training flags refused: " + loaded);
    }
    return EtcdMember.start(run.config(), cause -> Runtime.getRuntime().halt(3));
  }

  private static void exercise(String base) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + READY_MILLIS;
    while (call("PUT", base + "/v2/keys/cds/ready", "value=1") / 100 != 2) {
      if (System.currentTimeMillis() > deadline) throw new IllegalStateException("never ready");
      Thread.sleep(50);
    }
    for (int i = 0; i < WRITES; i++) {
      call("PUT", base + "/v2/keys/cds/k" + i, "value=v" + i);
    }
    call("PUT", base + "/v2/keys/cds/ttl", "value=t&ttl=60");
    call("PUT", base + "/v2/keys/cds/k1?prevExist=true", "value=again");
    call("POST", base + "/v2/keys/cds/queue", "value=job");
    call("PUT", base + "/v2/keys/cds/dir?dir=true", "");
    call("DELETE", base + "/v2/keys/cds/k2", null);
    for (String path : List.of("/v2/keys/cds/k1", "/v2/keys/cds/k1?quorum=true",
        "/v2/keys/cds?recursive=true&sorted=true", "/v2/keys/cds/missing",
        "/v2/keys/cds/k1?wait=true&waitIndex=1", "/v2/members", "/v2/stats/self",
        "/v2/stats/store", "/v2/stats/leader", "/version", "/health", "/metrics")) {
      call("GET", base + path, null);
    }
  }

  /** One request; the status, or -1 when the member is not answering yet. */
  private static int call(String method, String url, String form) throws IOException {
    HttpURLConnection http = (HttpURLConnection) URI.create(url).toURL().openConnection();
    http.setRequestMethod(method);
    http.setConnectTimeout(5_000);
    http.setReadTimeout(10_000);
    try {
      if (form != null) {
        http.setDoOutput(true);
        http.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        try (OutputStream out = http.getOutputStream()) {
          out.write(form.getBytes(StandardCharsets.UTF_8));
        }
      }
      int status = http.getResponseCode();
      try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
        if (in != null) in.readAllBytes();
      }
      return status;
    } catch (IOException notYet) {
      return -1;
    } finally {
      http.disconnect();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
