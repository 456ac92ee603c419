package io.v2store.it;

import java.util.concurrent.CompletableFuture;

/**
 * The real etcd and the candidate a differential test compares, started side by side: each spends
 * seconds starting and electing itself, and neither needs the other, so starting one after the
 * other only added the two waits up. Closing stops both.
 */
record ServerPair(ServerUnderTest reference, ServerUnderTest candidate) implements AutoCloseable {

    static ServerPair start(String name, String token) {
        CompletableFuture<ServerUnderTest> etcd = SideBySide.start("start-etcd-" + name,
            () -> RealEtcd.start(name, token));
        ServerUnderTest candidate;
        try {
            candidate = Candidates.start(name, token);
        } catch (RuntimeException | Error e) {
            // etcd may still come up: wait for it so that it is stopped, not left running
            etcd.thenAccept(ServerUnderTest::close).exceptionally(ignored -> null).join();
            throw e;
        }
        try {
            return new ServerPair(SideBySide.join(etcd), candidate);
        } catch (RuntimeException | Error e) {
            candidate.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            candidate.close();
        } finally {
            reference.close();
        }
    }
}
