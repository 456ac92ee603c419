package io.v2store.storage.store;

/**
 * A v2 error as an exception: the error, its cause text (null or empty = omitted from the body)
 * and the etcd index to report. No stack trace: these are answers, not bugs.
 */
public final class EtcdException extends RuntimeException {
  private final EtcdError error;
  private final String errorCause;
  private final long index;

  public EtcdException(EtcdError error, String cause, long index) {
    super(error.code() + ": " + error.message() + (cause == null ? "" : " (" + cause + ")"),
        null, false, false);
    this.error = error;
    this.errorCause = cause;
    this.index = index;
  }

  public EtcdError error() {
    return error;
  }

  /** The "cause" field of the error body; null when there is none. */
  public String errorCause() {
    return errorCause;
  }

  public long index() {
    return index;
  }
}
