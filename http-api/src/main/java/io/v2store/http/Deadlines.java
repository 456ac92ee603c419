package io.v2store.http;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounds a backend future by a timeout scheduled on the event loop, without touching it. The
 * result completes on the event loop: backend futures complete on the apply thread, which must
 * not spend its time encoding responses.
 */
final class Deadlines {
  private Deadlines() {}

  /** A copy of stage, completed on executor, that fails with TimeoutException when late. */
  static <T> CompletableFuture<T> within(CompletionStage<T> stage, EventExecutor executor,
      long timeoutMillis) {
    CompletableFuture<T> result = new CompletableFuture<>();
    ScheduledFuture<?> timer = executor.schedule(
        () -> result.completeExceptionally(new TimeoutException()), timeoutMillis,
        TimeUnit.MILLISECONDS);
    stage.whenComplete((value, failure) -> {
      timer.cancel(false);
      executor.execute(() -> {
        if (failure != null) {
          result.completeExceptionally(failure);
        } else {
          result.complete(value);
        }
      });
    });
    return result;
  }
}
