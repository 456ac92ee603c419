package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.etcdctl.Main;
import io.v2store.etcdctl.cli.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the namespace scenarios ({@link SrvScenario}, {@link SrvTlsScenario},
 * {@link DiskFullScenario}) share: their main, the processes they start, each logging to
 * {@code <dir>/<name>.log} and stopped by {@link #stopAll}, and etcdctl run as Debian's binary and
 * as ours on the same arguments.
 */
final class ScenarioRun {
    final Path dir;
    private final List<Process> children = new ArrayList<>();

    ScenarioRun(Path dir) {
        this.dir = dir;
    }

    /** What a scenario does with its name server, which answers on the namespace's port 53. */
    interface Body {
        void run(TestNameServer dns) throws Exception;
    }

    /**
     * A scenario's main: runs body, prints {@code passed} if it returned, stops every process it
     * started, and exits 0 only if it passed (the test reads the output and the exit code).
     */
    void runAndExit(String passed, Body body) throws Exception {
        int code = 1;
        try (TestNameServer dns = new TestNameServer(new InetSocketAddress("127.0.0.1", 53))) {
            body.run(dns);
            System.out.println(passed);
            code = 0;
        } catch (Throwable t) {
            t.printStackTrace(System.out);
        } finally {
            stopAll();
            System.out.flush();
        }
        System.exit(code);
    }

    /** Our server, on this JVM's class path, with {@code jvmOptions} before its flags. */
    Process launchOurs(String name, List<String> jvmOptions, List<String> flags) throws IOException {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djava.library.path=" + System.getProperty("java.library.path")));
        command.addAll(ServerJvm.options());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", ServerJvm.classPath(), OurServer.MAIN_CLASS));
        command.addAll(flags);
        return launch(name, command, Map.of());
    }

    /** Any program; ETCD* variables are cleared, then {@code env} is added. */
    Process launch(String name, List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
        builder.environment().putAll(env);
        Process p = builder.start();
        children.add(p);
        return p;
    }

    void stop(Process p) {
        Processes.stop(p.pid(), Duration.ofSeconds(10));
        children.remove(p);
    }

    void stopAll() {
        children.forEach(p -> Processes.stop(p.pid(), Duration.ofSeconds(10)));
        children.clear();
    }

    /** Debian's etcdctl and ours, on the same arguments and variables, print the same and exit alike. */
    void compareEtcdctl(List<String> args, Map<String, String> env) throws Exception {
        String[] debian = debianEtcdctl(args, env);
        String[] ours = ourEtcdctl(args, env);
        String what = "etcdctl " + String.join(" ", args) + " " + env;
        assertEquals(debian[0], ours[0], what + ": exit code (stderr: " + ours[2] + ")");
        assertEquals(debian[1], ours[1], what + ": stdout");
        assertEquals(debian[2], ours[2], what + ": stderr");
        System.out.println("  same: " + what + " -> exit " + ours[0]
            + (ours[2].isEmpty() ? "" : ", stderr " + ours[2].strip().replace("\n", " / ")));
    }

    /** Exit code, stdout and stderr. */
    String[] debianEtcdctl(List<String> args, Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(List.of(EtcdctlRun.BINARY.toString()));
        command.addAll(args);
        Path out = dir.resolve("etcdctl.out");
        Path err = dir.resolve("etcdctl.err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("ETCDCTL"));
        builder.environment().put("ETCDCTL_API", "2");
        builder.environment().putAll(env);
        Process p = builder.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "Debian's etcdctl " + args + " hung");
        return new String[] {Integer.toString(p.exitValue()), Files.readString(out), Files.readString(err)};
    }

    /** Exit code, stdout and stderr of our etcdctl, run in this JVM. */
    static String[] ourEtcdctl(List<String> args, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> all = new HashMap<>(env);
        all.put("ETCDCTL_API", "2");
        Io io = new Io(new PrintStream(out, false, StandardCharsets.UTF_8), new PrintStream(err, false, StandardCharsets.UTF_8),
            new ByteArrayInputStream(new byte[0]), all, false);
        int code = Main.run(args.toArray(new String[0]), io);
        io.flush();
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }
}
