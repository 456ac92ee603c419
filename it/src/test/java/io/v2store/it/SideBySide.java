package io.v2store.it;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Work a test runs beside its own thread (the reference server's start, a client session against
 * it), on a daemon thread of its own so that a hung task never keeps the test JVM alive; joined,
 * its failure is rethrown as it was thrown, not wrapped.
 */
final class SideBySide {

    private SideBySide() {
    }

    static <T> CompletableFuture<T> start(String threadName, Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, runnable -> {
            Thread t = new Thread(runnable, threadName);
            t.setDaemon(true);
            t.start();
        });
    }

    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
