package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.ClusterUnavailableException;
import io.v2store.etcdctl.client.EtcdServerException;
import io.v2store.etcdctl.client.KeyResponse;
import io.v2store.etcdctl.client.KeysClient;
import java.io.IOException;

/**
 * Successive long polls on one key, each starting after the last event seen. A {@code resilient}
 * loop (watch --forever, exec-watch) outlives the server: connection failures are retried with a
 * capped exponential back-off, and error 401 (the wanted index left the event history) is answered by
 * reading the key again and watching from the index of that read, so no later event is missed.
 */
final class WatchLoop {
    static final long FIRST_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 2_000;
    static final int HISTORY_CLEARED = 401;

    private final KeysClient keys;
    private final String key;
    private final boolean recursive;
    private final boolean resilient;
    private long waitIndex;

    WatchLoop(KeysClient keys, String key, boolean recursive, long afterIndex, boolean resilient) {
        this.keys = keys;
        this.key = key;
        this.recursive = recursive;
        this.resilient = resilient;
        this.waitIndex = afterIndex > 0 ? afterIndex + 1 : 0;
    }

    KeyResponse next() throws Exception {
        long backoffMillis = FIRST_BACKOFF_MILLIS;
        while (true) {
            try {
                final KeyResponse resp = keys.waitNext(key, recursive, waitIndex);
                waitIndex = resp.node().modifiedIndex() + 1;
                return resp;
            } catch (EtcdServerException e) {
                if (!resilient || e.errorCode() != HISTORY_CLEARED) {
                    throw e;
                }
                waitIndex = reread() + 1;
            } catch (ClusterUnavailableException | IOException e) {
                if (!resilient) {
                    throw e;
                }
                Thread.sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }

    /** The etcd index at which the key was read again (its error's index when it no longer exists). */
    private long reread() throws Exception {
        try {
            return keys.get(key, false, recursive, false).etcdIndex();
        } catch (EtcdServerException e) {
            return e.index();
        }
    }
}
