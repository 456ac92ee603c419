package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.ClusterUnavailableException;

/** Ends the command with an exit code after writing {@code stderrText} (may be empty). */
public final class CliExit extends RuntimeException {
    private final int exitCode;
    private final String stderrText;

    public CliExit(int exitCode, String stderrText) {
        super(stderrText, null, false, false);
        this.exitCode = exitCode;
        this.stderrText = stderrText;
    }

    /** Go etcdctl's {@code handleError}: {@code "Error:  <err>"}, plus the per-endpoint detail. */
    public static CliExit error(int exitCode, Exception e) {
        final StringBuilder sb = new StringBuilder("Error:  ").append(e.getMessage()).append('\n');
        if (e instanceof ClusterUnavailableException cluster) {
            sb.append(cluster.detail()).append('\n');
        }
        return new CliExit(exitCode, sb.toString());
    }

    public static CliExit error(int exitCode, String message) {
        return new CliExit(exitCode, "Error:  " + message + "\n");
    }

    public int exitCode() {
        return exitCode;
    }

    public String stderrText() {
        return stderrText;
    }
}
