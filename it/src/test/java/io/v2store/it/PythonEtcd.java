package io.v2store.it;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * python-etcd (Debian's python3-etcd, 0.4.5), the v2 client of Python programs such as Patroni,
 * run by Debian's own python3 on the scripts in {@code src/test/resources/python-etcd}.
 * Missing: skipped locally, a failure under CI ({@code CI} set), as for the real etcd.
 */
public final class PythonEtcd {

    static final Path PYTHON = Path.of("/usr/bin/python3");

    private PythonEtcd() {
    }

    /** Skips (no CI) or fails (CI) unless {@code /usr/bin/python3 -c 'import etcd'} succeeds. */
    public static void require() {
        if (importable()) {
            return;
        }
        String message = "python-etcd is not installed (apt-get install python3-etcd)";
        if (System.getenv("CI") != null) {
            throw new AssertionError("CI is set but " + message);
        }
        Assumptions.abort("skipped: " + message);
    }

    private static boolean importable() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import etcd")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                Processes.kill9(p.pid());
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * {@code python3 <script> <args...>}, stderr to {@code stderr}, without the user's PYTHON*
     * variables.
     */
    public static ProcessBuilder command(String script, List<String> args, Path stderr) {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script(script).toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        // A PYTHONPATH or PYTHONHOME of the user's would change which library is under test.
        builder.environment().keySet().removeIf(k -> k.startsWith("PYTHON"));
        return builder;
    }

    private static Path script(String name) {
        URL url = PythonEtcd.class.getResource("/python-etcd/" + name);
        if (url == null) {
            throw new IllegalStateException("no test resource python-etcd/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("test resource python-etcd/" + name + " at " + url, e);
        }
    }
}
