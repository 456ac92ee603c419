package io.v2store.etcdctl.cli;

/** etcdctl v2's exit codes (spec 13.3), in one place. */
public final class ExitCodes {
    public static final int SUCCESS = 0;
    public static final int BAD_ARGS = 1;
    public static final int BAD_CONNECTION = 2;
    public static final int UNKNOWN_COMMAND = 3;
    public static final int SERVER_ERROR = 4;
    public static final int CLUSTER_NOT_HEALTHY = 5;

    private ExitCodes() {
    }
}
