package io.v2store.server.config;

/** What this server does with a flag it accepts. */
public enum Support {
    /** The value is honoured. */
    IMPLEMENTED,
    /** Accepted and validated, but the feature is absent: setting it produces a warning. */
    NOT_IMPLEMENTED,
    /** A pre-3.0 flag etcd itself accepts and ignores with a warning. */
    LEGACY_IGNORED
}
