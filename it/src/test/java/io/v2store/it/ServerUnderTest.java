package io.v2store.it;

import java.net.URI;

/** A running member reachable on loopback: the real etcd or ours. */
interface ServerUnderTest extends AutoCloseable {

    /** For messages: "etcd 3.4.23" or "v2store". */
    String label();

    String name();

    URI clientUrl();

    URI peerUrl();

    long pid();

    /** Stops the process and deletes its data directory. */
    @Override
    void close();
}
