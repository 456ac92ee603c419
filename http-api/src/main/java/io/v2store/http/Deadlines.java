package io.v2store.http;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounds a backend future by a timeout scheduled on the event loop, without touching it. */
final class Deadlines {
  private Deadlines() {}

  /** A copy of stage that fails with TimeoutException if stage has not completed in time. */
  static <T> CompletableFuture<T> within(CompletionStage<T> stage, EventExecutor executor,
      long timeoutMillis) {
    CompletableFuture<T> result = new CompletableFuture<>();
    ScheduledFuture<?> timer = executor.schedule(
        () -> result.completeExceptionally(new TimeoutException()), timeoutMillis,
        TimeUnit.MILLISECONDS);
    stage.whenComplete((value, failure) -> {
      timer.cancel(false);
      if (failure != null) {
        result.completeExceptionally(failure);
      } else {
        result.complete(value);
      }
    });
    return result;
  }
}
