package io.v2store.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code --trace} of a watch run: when each watcher had each of the first {@link #MAX_WRITES}
 * writes, relative to the write's acknowledgement, per endpoint. The p99 alone cannot tell a
 * slow fan-out from a late acknowledgement (a member answers its writer after it has queued the
 * events of its own watchers), nor one slow member from a slow client.
 */
final class FanoutTrace {
  static final int MAX_WRITES = 256;
  private final int watchers;
  private final int endpoints;
  private final long[][] nanos = new long[MAX_WRITES][];
  private final int[][] endpoint = new int[MAX_WRITES][];
  private final int[] count = new int[MAX_WRITES];

  FanoutTrace(int watchers, int endpoints) {
    this.watchers = watchers;
    this.endpoints = endpoints;
  }

  synchronized void arrived(int seq, long at, int endpointIndex) {
    if (seq < 0 || seq >= MAX_WRITES || count[seq] >= watchers) return;
    if (nanos[seq] == null) {
      nanos[seq] = new long[watchers];
      endpoint[seq] = new int[watchers];
    }
    nanos[seq][count[seq]] = at;
    endpoint[seq][count[seq]++] = endpointIndex;
  }

  /** One line per write: first, median, 90th and last arrival, then each endpoint's span. */
  synchronized void print(PrintStream out, FanoutTracker tracker) {
    for (int seq = 0; seq < MAX_WRITES; seq++) {
      long ack = tracker.ackNanos(seq);
      if (ack == 0 || nanos[seq] == null) continue; // failed, or no watcher had it
      int n = count[seq];
      long[] first = new long[endpoints];
      long[] last = new long[endpoints];
      Arrays.fill(first, Long.MAX_VALUE);
      Arrays.fill(last, Long.MIN_VALUE);
      for (int i = 0; i < n; i++) {
        int e = endpoint[seq][i];
        first[e] = Math.min(first[e], nanos[seq][i]);
        last[e] = Math.max(last[e], nanos[seq][i]);
      }
      long[] sorted = Arrays.copyOf(nanos[seq], n);
      Arrays.sort(sorted);
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
          "write %d: %d watchers, ms from its ack: first %s, p50 %s, p90 %s, last %s", seq, n,
          ms(sorted[0] - ack), ms(sorted[n / 2] - ack), ms(sorted[n * 9 / 10] - ack),
          ms(sorted[n - 1] - ack)));
      for (int e = 0; e < endpoints; e++) {
        if (last[e] == Long.MIN_VALUE) continue;
        line.append(String.format(Locale.ROOT, "; endpoint %d %s..%s", e, ms(first[e] - ack),
            ms(last[e] - ack)));
      }
      out.println(line);
    }
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }
}
