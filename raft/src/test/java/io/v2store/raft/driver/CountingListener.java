package io.v2store.raft.driver;

/** Counts what the driver reports about linearizable reads and installed snapshots. */
final class CountingListener implements DriverListener {
  int readIndexesFailed;
  int slowReadIndexes;
  /** Each onSnapshotInstalling call, in order: "installing" or "installed". */
  final java.util.List<String> installs = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public synchronized void onReadIndexFailed() {
    readIndexesFailed++;
  }

  @Override
  public synchronized void onReadIndexSlow() {
    slowReadIndexes++;
  }

  @Override
  public void onSnapshotInstalling(boolean installing) {
    installs.add(installing ? "installing" : "installed");
  }
}
