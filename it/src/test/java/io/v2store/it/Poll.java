package io.v2store.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition by polling it until a deadline; never a blind sleep. And one such condition. */
final class Poll {

    private static final long PAUSE_NANOS = Duration.ofMillis(20).toNanos();

    private Poll() {
    }

    /** @return true when the condition held before the deadline */
    static boolean until(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(PAUSE_NANOS);
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Whether a member at clientUrl answers /health with {"health":"true"}; false when it cannot be reached. */
    static boolean healthy(String clientUrl) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(clientUrl + "/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
                .body().contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The body of a GET of url, or "" when it cannot be reached (a member down or starting). */
    static String body(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Like {@link #until} but fails with {@code what} when the deadline passes. */
    static void require(Duration timeout, String what, BooleanSupplier condition) {
        if (!until(timeout, condition)) {
            throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
        }
    }
}
