package io.v2store.http;

import io.netty.channel.ChannelFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every watch response currently open, so shutdown can end them and metrics can count them. */
final class ParkedWatches {
  private final Set<WatchResponder> open = ConcurrentHashMap.newKeySet();

  void add(WatchResponder responder) {
    open.add(responder);
  }

  void remove(WatchResponder responder) {
    open.remove(responder);
  }

  int size() {
    return open.size();
  }

  /**
   * Cuts every parked response (its connection closes before the body ends, as etcd's do when it
   * stops: clients then retry on another member) and waits, at most maxWaitMillis in all, for
   * those closes.
   */
  void endAll(long maxWaitMillis) {
    List<ChannelFuture> closes = new ArrayList<>();
    for (WatchResponder responder : open.toArray(new WatchResponder[0])) {
      ChannelFuture f = responder.endForShutdown();
      if (f != null) {
        closes.add(f);
      }
    }
    long deadline = System.nanoTime() + maxWaitMillis * 1_000_000L;
    for (ChannelFuture f : closes) {
      long leftMillis = Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
      f.awaitUninterruptibly(leftMillis);
    }
  }
}
