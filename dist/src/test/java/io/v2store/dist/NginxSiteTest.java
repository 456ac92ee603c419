package io.v2store.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nginx sites in deploy/ (confd's template and exec-watch's site) answer from the registered
 * backends on a machine where Debian's nginx package is installed as it comes: with its default
 * site enabled, which listens on the same port as {@code default_server}.
 */
class NginxSiteTest {

  @Test
  void confdTemplateSiteIsServedBesideDebiansDefaultSite(@TempDir Path work) throws IOException {
    final String template = Files.readString(RepoPaths.deploy().resolve("confd/templates/nginx.tmpl"));
    // The part after the upstream block is plain nginx configuration, not templated.
    assertSiteAnswers(work, template.substring(template.indexOf("\nserver {") + 1));
  }

  @Test
  void execWatchSiteIsServedBesideDebiansDefaultSite(@TempDir Path work) throws IOException {
    assertSiteAnswers(work, Files.readString(RepoPaths.deploy().resolve("exec-watch/nginx-site.conf")));
  }

  /**
   * confd runs check_cmd with {{.src}} naming the render it staged beside dest, and installs the
   * render only if the command exits 0: a value that is no upstream address must stop it there.
   */
  @Test
  void confdCheckCommandChecksTheStagedRender(@TempDir Path work) throws IOException {
    nginx();
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "check_cmd names /usr/sbin/nginx");
    final Commands.Result read = Commands.run(work, Map.of(), 20, "python3", "-c",
        "import sys, tomllib; print(tomllib.load(open(sys.argv[1], 'rb'))['template']['check_cmd'])",
        RepoPaths.deploy().resolve("confd/conf.d/nginx.toml").toString());
    assertEquals(0, read.exitCode(), read.output());
    final String checkCmd = read.output().strip();
    final String template = Files.readString(RepoPaths.deploy().resolve("confd/templates/nginx.tmpl"));
    final Path confD = Files.createDirectories(work.resolve("conf.d"));
    for (String value : List.of("10.0.0.7:5000", "10.0.0.7:5000 bogus")) {
      // What confd's range over getvs renders for one registration ({{- trims the newline).
      final String render = template.replaceFirst(
          "(?s)\\{\\{- range getvs \"/server/\\*\"}}.*?\\{\\{- end}}", "\n    server " + value + ";");
      assertTrue(render.contains("server " + value + ";") && !render.contains("{{"), render);
      final Path staged = confD.resolve(".app.conf" + Math.abs(value.hashCode()));
      Files.writeString(staged, render);
      final Commands.Result check = Commands.run(work, Map.of(), 30, "/bin/sh", "-c",
          checkCmd.replace("{{.src}}", staged.toString()));
      assertEquals(!value.contains("bogus"), check.exitCode() == 0,
          "check_cmd on a render of " + value + ": " + check.output());
    }
  }

  private static void assertSiteAnswers(Path work, String site) throws IOException {
    final String nginx = nginx();
    final List<Integer> ports = FreePorts.take(2);
    final int front = ports.get(0);
    final int backend = ports.get(1);
    assertTrue(site.contains("listen 80;"), site);
    final String conf = String.join("\n",
        "worker_processes 1;",
        "pid " + work.resolve("nginx.pid") + ";",
        "error_log " + work.resolve("error.log") + " warn;",
        "events { worker_connections 64; }",
        "http {",
        "  access_log off;",
        "  client_body_temp_path " + work.resolve("body") + ";",
        "  proxy_temp_path " + work.resolve("proxy") + ";",
        "  fastcgi_temp_path " + work.resolve("fastcgi") + ";",
        "  uwsgi_temp_path " + work.resolve("uwsgi") + ";",
        "  scgi_temp_path " + work.resolve("scgi") + ";",
        // Debian's nginx.conf includes conf.d/*.conf (the app's site) before sites-enabled/*.
        "  upstream app { server 127.0.0.1:" + backend + "; }",
        "  server { listen 127.0.0.1:" + backend + "; return 200 \"backend\\n\"; }",
        site.replace("listen 80;", "listen 127.0.0.1:" + front + ";"),
        // /etc/nginx/sites-enabled/default, as the package installs it (its welcome page).
        "  server { listen 127.0.0.1:" + front + " default_server; server_name _;"
            + " return 200 \"Welcome to nginx!\\n\"; }",
        "}", "");
    final Path confFile = work.resolve("nginx.conf");
    Files.writeString(confFile, conf);
    final Process process = new ProcessBuilder(nginx, "-p", work.toString(), "-c", confFile.toString(),
        "-e", work.resolve("error.log").toString(), "-g", "daemon off;")
        .redirectErrorStream(true).redirectOutput(work.resolve("nginx.out").toFile()).start();
    try {
      assertTrue(Deadline.await(Duration.ofSeconds(20), () -> listening(front)),
          "nginx listens: " + Files.readString(work.resolve("nginx.out")));
      for (String host : List.of("10.0.0.11", "app.example.com", "127.0.0.1:" + front)) {
        final Commands.Result answer = Commands.run(work, Map.of(), 20,
            "curl", "-sS", "-m", "5", "-H", "Host: " + host, "http://127.0.0.1:" + front + "/");
        assertEquals("backend", answer.output().strip(), "a request for " + host + " reaches the app");
      }
    } finally {
      Commands.stop(process.toHandle(), 10);
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String nginx() {
    final String found = Commands.onPath("nginx") ? "nginx"
        : Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : null;
    // In CI, .ci/run installs nginx (the demo needs it): missing there is a failure, not a skip.
    if (System.getenv("CI") != null) {
      assertTrue(found != null, "nginx is missing; .ci/run should install it");
    } else {
      assumeTrue(found != null, "nginx is not installed");
    }
    return found;
  }
}
