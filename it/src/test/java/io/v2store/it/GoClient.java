package io.v2store.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * etcd's own Go v2 client ({@code go.etcd.io/etcd/client}, the library confd, flannel, SkyDNS and
 * locksmith are built on), from Debian's golang-etcd-server-dev, compiled by Debian's golang-go in
 * GOPATH mode: no module download, nothing but the two packages. Programs are the Go files in
 * {@code src/test/resources/go-client}. Missing: skipped locally, a failure under CI ({@code CI}
 * set), as for the real etcd.
 */
public final class GoClient {

    static final Path GO = Path.of("/usr/bin/go");
    /** Where Debian's golang-*-dev packages put their sources, the GOPATH they build in. */
    static final Path GOPATH = Path.of("/usr/share/gocode");
    private static final Path CLIENT_SOURCE = GOPATH.resolve("src/go.etcd.io/etcd/client/keys.go");
    private static final Path LIBKV_SOURCE = GOPATH.resolve("src/github.com/docker/libkv/store/etcd/etcd.go");

    private GoClient() {
    }

    /** Skips (no CI) or fails (CI) unless Go and the client's source are installed. */
    public static void require() {
        requireSource(CLIENT_SOURCE, "Go or etcd's Go client", "golang-go golang-etcd-server-dev");
    }

    /** {@link #require}, and Docker's libkv (its etcd store) too. */
    static void requireLibkv() {
        require();
        requireSource(LIBKV_SOURCE, "Docker's libkv", "golang-github-docker-libkv-dev");
    }

    private static void requireSource(Path source, String what, String packages) {
        if (Files.isExecutable(GO) && Files.isRegularFile(source)) {
            return;
        }
        String message = what + " is not installed (apt-get install " + packages + ")";
        if (System.getenv("CI") != null) {
            throw new AssertionError("CI is set but " + message);
        }
        Assumptions.abort("skipped: " + message);
    }

    /** Removes a directory {@link #build} wrote to, the program and its build cache. */
    public static void deleteBuildDir(Path dir) {
        Processes.deleteTree(dir);
    }

    /**
     * Compiles {@code go-client/<name>.go} into {@code dir/<name>} and returns the executable.
     * The build cache goes in {@code dir} too, so that no user's cache or settings take part.
     */
    public static Path build(String name, Path dir) {
        try {
            Path source = dir.resolve(name + ".go");
            try (InputStream in = GoClient.class.getResourceAsStream("/go-client/" + name + ".go")) {
                if (in == null) {
                    throw new IllegalStateException("no test resource go-client/" + name + ".go");
                }
                Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
            }
            Path binary = dir.resolve(name);
            Path log = dir.resolve(name + "-build.log");
            ProcessBuilder builder = new ProcessBuilder(GO.toString(), "build", "-o", binary.toString(),
                source.toString()).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> k.startsWith("GO") || k.startsWith("CGO"));
            env.put("GO111MODULE", "off");
            env.put("GOPATH", GOPATH.toString());
            env.put("GOCACHE", dir.resolve("cache").toString());
            env.put("CGO_ENABLED", "0");
            Process p = builder.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                Processes.kill9(p.pid());
                throw new AssertionError("go build of " + name + " still running after 5 minutes:\n"
                    + Processes.tail(log, 4000));
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("go build of " + name + " failed:\n" + Processes.tail(log, 4000));
            }
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
