package io.v2store.storage.store;

/** A registered watch waiting in the hub. removed is guarded by the hub's monitor. */
final class Watcher implements Watch {
  final String path;
  final boolean recursive;
  final boolean stream;
  final long sinceIndex;
  final WatchSink sink;
  private final long startIndex;
  private final WatcherHub hub;
  boolean removed;

  Watcher(String path, boolean recursive, boolean stream, long sinceIndex, long startIndex,
      WatchSink sink, WatcherHub hub) {
    this.path = path;
    this.recursive = recursive;
    this.stream = stream;
    this.sinceIndex = sinceIndex;
    this.startIndex = startIndex;
    this.sink = sink;
    this.hub = hub;
  }

  @Override
  public Event immediate() {
    return null;
  }

  @Override
  public long startIndex() {
    return startIndex;
  }

  @Override
  public void cancel() {
    hub.remove(this);
  }
}
