package io.v2store.etcdctl.client;

import java.util.List;

/** Every endpoint failed; carries one message per endpoint tried, like Go's {@code ClusterError}. */
public final class ClusterUnavailableException extends Exception {
    private final List<String> errors;
    private final boolean connectionError;

    public ClusterUnavailableException(List<String> errors, boolean connectionError) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
        this.connectionError = connectionError;
    }

    /** True when every failure was a refused/unreachable connection (etcdctl exits 2 during sync). */
    public boolean isConnectionError() {
        return connectionError;
    }

    public List<String> errors() {
        return errors;
    }

    /** The lines Go's {@code ClusterError.Detail()} prints after the summary. */
    public String detail() {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < errors.size(); i++) {
            sb.append("error #").append(i).append(": ").append(errors.get(i)).append('\n');
        }
        return sb.toString();
    }

    private static String summary(List<String> errors) {
        final StringBuilder sb = new StringBuilder("client: etcd cluster is unavailable or misconfigured");
        for (int i = 0; i < errors.size(); i++) {
            // Go's ClusterError.Error() ends every clause with a newline.
            sb.append("; error #").append(i).append(": ").append(errors.get(i)).append('\n');
        }
        return sb.toString();
    }
}
