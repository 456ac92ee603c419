package io.v2store.etcdctl.client;

/** The whole-command deadline ({@code --total-timeout}) passed; Go says "context deadline exceeded". */
public final class ContextDeadlineException extends Exception {
    public ContextDeadlineException() {
        super("context deadline exceeded");
    }
}
