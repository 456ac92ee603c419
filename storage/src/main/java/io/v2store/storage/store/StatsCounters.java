package io.v2store.storage.store;

import java.util.concurrent.atomic.AtomicLongArray;

/** The /v2/stats/store counters (and two more for metrics); written by reads and the apply thread, read by anyone. */
final class StatsCounters {
  enum Counter {
    GETS_SUCCESS, GETS_FAIL, SETS_SUCCESS, SETS_FAIL, DELETE_SUCCESS, DELETE_FAIL,
    UPDATE_SUCCESS, UPDATE_FAIL, CREATE_SUCCESS, CREATE_FAIL, CAS_SUCCESS, CAS_FAIL,
    CAD_SUCCESS, CAD_FAIL, EXPIRE_COUNT,
    /** Not in /v2/stats/store: for etcd's etcd_debugging_store_* metrics. */
    GETS_RECURSIVE, WATCH_REQUESTS
  }

  private final AtomicLongArray values = new AtomicLongArray(Counter.values().length);

  void inc(Counter c) {
    values.incrementAndGet(c.ordinal());
  }

  void add(Counter c, long delta) {
    values.addAndGet(c.ordinal(), delta);
  }

  long get(Counter c) {
    return values.get(c.ordinal());
  }

  /** How many counters a snapshot keeps: the /v2/stats/store ones, GETS_SUCCESS to EXPIRE_COUNT. */
  static final int PERSISTED = Counter.EXPIRE_COUNT.ordinal() + 1;

  /** The counters a snapshot keeps, as etcd's store snapshot keeps its Stats. */
  long[] persisted() {
    long[] out = new long[PERSISTED];
    for (int i = 0; i < PERSISTED; i++) out[i] = values.get(i);
    return out;
  }

  /**
   * Takes a snapshot's counters in place of these (the metrics-only ones are kept); one written
   * with fewer leaves the rest at 0.
   */
  void restorePersisted(long[] counters) {
    for (int i = 0; i < PERSISTED; i++) values.set(i, i < counters.length ? counters[i] : 0);
  }

  StoreStats snapshot(long watchers) {
    return new StoreStats(get(Counter.GETS_SUCCESS), get(Counter.GETS_FAIL),
        get(Counter.SETS_SUCCESS), get(Counter.SETS_FAIL), get(Counter.DELETE_SUCCESS),
        get(Counter.DELETE_FAIL), get(Counter.UPDATE_SUCCESS), get(Counter.UPDATE_FAIL),
        get(Counter.CREATE_SUCCESS), get(Counter.CREATE_FAIL), get(Counter.CAS_SUCCESS),
        get(Counter.CAS_FAIL), get(Counter.CAD_SUCCESS), get(Counter.CAD_FAIL),
        get(Counter.EXPIRE_COUNT), watchers);
  }
}
