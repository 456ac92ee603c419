package io.v2store.etcdctl.client;

/** An etcd error body ({@code errorCode}, {@code message}, {@code cause}, {@code index}). */
public final class EtcdServerException extends Exception {
    private final int errorCode;
    private final long index;

    public EtcdServerException(int errorCode, String message, String cause, long index) {
        // Go's client.Error.Error(): "%v: %v (%v) [%v]".
        super(errorCode + ": " + message + " (" + cause + ") [" + index + "]");
        this.errorCode = errorCode;
        this.index = index;
    }

    /** The etcd index the error was reported at. */
    public long index() {
        return index;
    }

    public int errorCode() {
        return errorCode;
    }
}
