package io.v2store.storage.store;

/** The counters of /v2/stats/store, in etcd's field order. */
public record StoreStats(
    long getsSuccess,
    long getsFail,
    long setsSuccess,
    long setsFail,
    long deleteSuccess,
    long deleteFail,
    long updateSuccess,
    long updateFail,
    long createSuccess,
    long createFail,
    long compareAndSwapSuccess,
    long compareAndSwapFail,
    long compareAndDeleteSuccess,
    long compareAndDeleteFail,
    long expireCount,
    long watchers) {}
