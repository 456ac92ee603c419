package io.v2store.it;

import io.v2store.testkit.LoopbackPorts;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * JVM options for the child JVMs that run our server: a class-data archive (AppCDS) of the
 * server's classes, made once per test run. The it tests start dozens of server JVMs, often
 * three at once on two cores, and each loaded and verified the same classes from the jars again:
 * with the archive a lone member served its first request after ~520 ms instead of ~900 ms.
 * Classes come from the archive as they would from the jars; nothing the server does changes.
 * Without an archive (one that could not be made) the options are empty and members start as
 * before.
 */
public final class ServerJvm {
    /** Set on a scenario's JVM so that its members use the archive its test made. */
    static final String ARCHIVE_PROPERTY = "it.serverJvm.archive";
    private static final Duration MAKE_TIMEOUT = Duration.ofSeconds(60);

    private static Path archive;
    private static boolean tried;

    private ServerJvm() {
    }

    /**
     * This JVM's class path with its directories last: a class-data archive is refused ("Cannot
     * have non-empty directory in paths") when a directory comes before a jar it archived from,
     * and surefire puts the it module's own test-classes first. The server needs nothing from
     * there (the tests' classes and python scripts, none of them the server's), so the order
     * changes nothing it loads. The same string must make the archive and use it.
     */
    public static String classPath() {
        List<String> jars = new ArrayList<>();
        List<String> directories = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            (Files.isDirectory(Path.of(entry)) ? directories : jars).add(entry);
        }
        jars.addAll(directories);
        return String.join(File.pathSeparator, jars);
    }

    /** Options to put before the main class; empty when there is no archive. */
    public static synchronized List<String> options() {
        Path made = archive();
        return made == null ? List.of() : List.of("-XX:SharedArchiveFile=" + made);
    }

    /** The archive this run made (or was given), or null. */
    static synchronized Path archive() {
        String given = System.getProperty(ARCHIVE_PROPERTY);
        if (given != null) {
            return Files.isRegularFile(Path.of(given)) ? Path.of(given) : null;
        }
        if (!tried) {
            tried = true;
            archive = make();
        }
        return archive;
    }

    /**
     * One single-member server, started with the archive written at its exit: it serves a
     * client, so the classes of a running member are loaded, then stops on SIGTERM.
     */
    private static Path make() {
        try {
            Path dir = Files.createTempDirectory("it-server-cds-");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("server.jsa");
            file.toFile().deleteOnExit();
            String client = "http://127.0.0.1:" + LoopbackPorts.next();
            String peer = "http://127.0.0.1:" + LoopbackPorts.next();
            List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ArchiveClassesAtExit=" + file,
                "-Djava.library.path=" + System.getProperty("java.library.path"),
                "-cp", classPath(), OurServer.MAIN_CLASS,
                "--name", "cds", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "cds=" + peer));
            Path log = dir.resolve("server.log");
            log.toFile().deleteOnExit();
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
            Process p = builder.start();
            boolean served = Poll.until(MAKE_TIMEOUT, () -> p.isAlive() && served(client));
            Processes.stop(p.pid(), Duration.ofSeconds(30)); // the archive is written on the way out
            Processes.deleteTree(dir.resolve("data"));
            if (served && Files.isRegularFile(file) && Files.size(file) > 0) {
                System.out.println("[it] server JVMs share the class-data archive " + file);
                return file;
            }
            System.out.println("[it] no class-data archive for the server JVMs (served=" + served
                + "):\n" + Processes.tail(log, 2000));
            return null;
        } catch (IOException e) {
            System.out.println("[it] no class-data archive for the server JVMs: " + e);
            return null;
        }
    }

    private static boolean served(String client) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(client + "/v2/keys/cds"))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .PUT(HttpRequest.BodyPublishers.ofString("value=1")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
