package io.v2store.it;

import io.v2store.testkit.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Our server in a child JVM started from this test's own class path, with the same loopback
 * command line the real etcd gets. It can be SIGKILLed and restarted on the same data directory.
 */
final class OurServer implements ServerUnderTest {

    static final String MAIN_CLASS = "io.v2store.server.EtcdMain";
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final String token;
    private final Path dir;
    private final URI clientUrl;
    private final URI peerUrl;
    private Process process;

    private OurServer(String name, String token, Path dir, URI clientUrl, URI peerUrl) {
        this.name = name;
        this.token = token;
        this.dir = dir;
        this.clientUrl = clientUrl;
        this.peerUrl = peerUrl;
    }

    /** True when the server's entry point is on the class path (it is being written). */
    static boolean available() {
        try {
            Class.forName(MAIN_CLASS, false, OurServer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static OurServer start(String name, String token) {
        try {
            Path dir = Files.createTempDirectory("it-ours-");
            OurServer server = new OurServer(name, token, dir,
                URI.create("http://127.0.0.1:" + LoopbackPorts.next()), URI.create("http://127.0.0.1:" + LoopbackPorts.next()));
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path dataDir() {
        return dir.resolve("data");
    }

    private Path log() {
        return dir.resolve("server.log");
    }

    /** The command that starts our server, up to its flags: this JVM's java, the test run's classes. */
    static List<String> javaCommand() {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djava.library.path=" + System.getProperty("java.library.path")));
        command.addAll(ServerJvm.options());
        command.addAll(List.of("-cp", ServerJvm.classPath(), MAIN_CLASS));
        return command;
    }

    private void launch() {
        List<String> command = javaCommand();
        command.addAll(List.of(
            "--name", name, "--data-dir", dataDir().toString(),
            "--listen-client-urls", clientUrl.toString(), "--advertise-client-urls", clientUrl.toString(),
            "--listen-peer-urls", peerUrl.toString(), "--initial-advertise-peer-urls", peerUrl.toString(),
            "--initial-cluster", name + "=" + peerUrl, "--initial-cluster-token", token));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean healthy = Poll.until(START_TIMEOUT, () -> {
            if (!process.isAlive()) {
                return false;
            }
            try {
                return RawHttp.send(clientUrl, RawRequest.of("GET", "/health")).status() == 200;
            } catch (UncheckedIOException e) {
                return false;
            }
        });
        if (!healthy) {
            String tail = Processes.tail(log(), 4000);
            close();
            throw new AssertionError("our server did not become healthy within " + START_TIMEOUT
                + " (alive=" + process.isAlive() + "):\n" + tail);
        }
    }

    /** SIGKILL: no shutdown hook runs, whatever was not fsynced is lost. */
    void kill9() {
        Processes.kill9(process.pid());
    }

    /** Stops (if running) and starts again on the same data directory and ports. */
    void restart() {
        if (process.isAlive()) {
            Processes.stop(process.pid(), Duration.ofSeconds(10));
        }
        launch();
    }

    /** SIGTERM then, after a grace period, SIGKILL; keeps the data directory. */
    void stop() {
        Processes.stop(process.pid(), Duration.ofSeconds(10));
    }

    @Override
    public String label() {
        return "v2store";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public URI clientUrl() {
        return clientUrl;
    }

    @Override
    public URI peerUrl() {
        return peerUrl;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            // it died on its own during the test: keep its last words in the test output
            System.out.println("[it] our server (pid " + process.pid() + ") exited with " + process.exitValue()
                + " before the end of the test; log tail:\n" + Processes.tail(log(), 6000));
        }
        stop();
        Processes.deleteTree(dir);
    }
}
