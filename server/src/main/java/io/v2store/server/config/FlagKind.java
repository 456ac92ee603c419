package io.v2store.server.config;

/**
 * How a flag's text is read, mirroring the Go flag.Value type etcd registers for it.
 * The kind decides whether the flag is a boolean (which never consumes the next
 * argument) and which syntax a value must have.
 */
public enum FlagKind {
    STRING,
    BOOL,
    /** Go {@code uint}: an unsigned 64-bit decimal. */
    UINT,
    /** {@code uint32} as parsed by strconv.ParseUint(s, 10, 32). */
    UINT32,
    /** Go {@code int} / {@code int64}: signed decimal. */
    INT,
    /** Go {@code time.Duration}: {@code 5s}, {@code 100ms}, {@code 1m30s}. */
    DURATION,
    /** Comma-separated URLs, each http/https/unix/unixs with host:port; {@code ""} allowed. */
    URLS,
    /** Like URLS but {@code *} is accepted as a whole value (etcd's --cors). */
    URLS_OR_STAR,
    /** Comma-separated free strings. */
    STRINGS,
    /** One of a fixed set of words (etcd's SelectiveStringValue). */
    CHOICE,
    /** A legacy flag etcd accepts, warns about and ignores; behaves as a boolean. */
    IGNORED;

    public boolean isBoolean() {
        return this == BOOL || this == IGNORED;
    }
}
