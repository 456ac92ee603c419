package io.v2store.it;

import io.v2store.testkit.LoopbackPorts;

/** Free TCP ports on 127.0.0.1 for the processes a test starts (see {@link LoopbackPorts}). */
public final class FreePorts {

    private FreePorts() {
    }

    public static int next() {
        return LoopbackPorts.next();
    }
}
