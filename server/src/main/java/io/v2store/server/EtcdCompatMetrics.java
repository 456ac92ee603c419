package io.v2store.server;

import com.sun.management.UnixOperatingSystemMXBean;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.v2store.storage.store.KeySpace;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.ToLongFunction;

/**
 * Metrics an etcd 3.4 member exports that dashboards and alerts written for etcd read, and that
 * nothing else here needs: who this member is (etcd_server_id, etcd_server_version,
 * etcd_cluster_version), the v2 store's counters (etcd_debugging_store_*, read from the key
 * space's own counters at scrape time, so no request pays for them), and the process's
 * (process_*, as Prometheus's Go client names them). All read at scrape time.
 */
final class EtcdCompatMetrics {
  private static final long PAGE_BYTES = 4096;

  private EtcdCompatMetrics() {}

  static void register(MeterRegistry registry, long memberId, KeySpace keySpace) {
    Gauge.builder("etcd_server_id", () -> 1).tag("server_id", Long.toHexString(memberId))
        .description("Server or member ID in hexadecimal format. 1 for 'server_id' label with "
            + "current ID.").register(registry);
    Gauge.builder("etcd_server_version", () -> 1).tag("server_version", Version.SERVER)
        .description("Which version is running. 1 for 'server_version' label with current "
            + "version.").register(registry);
    Gauge.builder("etcd_cluster_version", () -> 1)
        .tag("cluster_version", Version.CLUSTER.substring(0, Version.CLUSTER.lastIndexOf('.')))
        .description("Which version is running. 1 for 'cluster_version' label with current "
            + "cluster version").register(registry);
    store(registry, keySpace);
    process(registry);
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof UnixOperatingSystemMXBean unix) { // etcd's own names for process_*_fds
      Gauge.builder("os_fd_used", unix, UnixOperatingSystemMXBean::getOpenFileDescriptorCount)
          .description("The number of used file descriptors.").register(registry);
      Gauge.builder("os_fd_limit", unix, UnixOperatingSystemMXBean::getMaxFileDescriptorCount)
          .description("The file descriptor limit.").register(registry);
    }
  }

  private static void store(MeterRegistry registry, KeySpace keySpace) {
    String reads = "Total number of reads action by (get/getRecursive), local to this member.";
    byAction(registry, "etcd_debugging_store_reads", "get", reads, keySpace,
        k -> k.stats().getsSuccess() + k.stats().getsFail() - k.recursiveGets());
    byAction(registry, "etcd_debugging_store_reads", "getRecursive", reads, keySpace,
        KeySpace::recursiveGets);
    String writes = "Total number of writes (e.g. set/compareAndDelete) seen by this member.";
    byAction(registry, "etcd_debugging_store_writes", "set", writes, keySpace,
        k -> k.stats().setsSuccess() + k.stats().setsFail());
    byAction(registry, "etcd_debugging_store_writes", "create", writes, keySpace,
        k -> k.stats().createSuccess() + k.stats().createFail());
    byAction(registry, "etcd_debugging_store_writes", "update", writes, keySpace,
        k -> k.stats().updateSuccess() + k.stats().updateFail());
    byAction(registry, "etcd_debugging_store_writes", "delete", writes, keySpace,
        k -> k.stats().deleteSuccess() + k.stats().deleteFail());
    byAction(registry, "etcd_debugging_store_writes", "compareAndSwap", writes, keySpace,
        k -> k.stats().compareAndSwapSuccess() + k.stats().compareAndSwapFail());
    byAction(registry, "etcd_debugging_store_writes", "compareAndDelete", writes, keySpace,
        k -> k.stats().compareAndDeleteSuccess() + k.stats().compareAndDeleteFail());
    FunctionCounter.builder("etcd_debugging_store_expires", keySpace, k -> k.stats().expireCount())
        .description("Total number of expired keys.").register(registry);
    FunctionCounter.builder("etcd_debugging_store_watch_requests", keySpace,
            KeySpace::watchRequests)
        .description("Total number of incoming watch requests (new or reestablished).")
        .register(registry);
  }

  private static void byAction(MeterRegistry registry, String name, String action,
      String description, KeySpace keySpace, ToLongFunction<KeySpace> value) {
    FunctionCounter.builder(name, keySpace, value::applyAsLong).tag("action", action)
        .description(description).register(registry);
  }

  /** process_*, as Prometheus's Go client names them (the proxy serves these too). */
  static void process(MeterRegistry registry) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      FunctionCounter.builder("process_cpu_seconds", sun,
              b -> b.getProcessCpuTime() / 1e9)
          .description("Total user and system CPU time spent in seconds.").register(registry);
    }
    if (os instanceof UnixOperatingSystemMXBean unix) {
      Gauge.builder("process_open_fds", unix, UnixOperatingSystemMXBean::getOpenFileDescriptorCount)
          .description("Number of open file descriptors.").register(registry);
      Gauge.builder("process_max_fds", unix, UnixOperatingSystemMXBean::getMaxFileDescriptorCount)
          .description("Maximum number of open file descriptors.").register(registry);
    }
    Gauge.builder("process_resident_memory_bytes", () -> statm(1) * PAGE_BYTES)
        .description("Resident memory size in bytes.").register(registry);
    Gauge.builder("process_virtual_memory_bytes", () -> statm(0) * PAGE_BYTES)
        .description("Virtual memory size in bytes.").register(registry);
    Gauge.builder("process_virtual_memory_max_bytes", EtcdCompatMetrics::addressSpaceLimit)
        .description("Maximum amount of virtual memory available in bytes.").register(registry);
    double start = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0;
    Gauge.builder("process_start_time_seconds", () -> start)
        .description("Start time of the process since unix epoch in seconds.")
        .register(registry);
  }

  /**
   * The soft limit on the address space (RLIMIT_AS) from /proc/self/limits; "unlimited" is the
   * largest unsigned 64-bit number, as Go's process collector reports it; NaN where unknown.
   */
  private static double addressSpaceLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max address space")) {
          String soft = line.substring("Max address space".length()).trim().split("\\s+")[0];
          return soft.equals("unlimited") ? 0x1p64 : Double.parseDouble(soft);
        }
      }
      return Double.NaN;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** A field of /proc/self/statm (pages); NaN where there is none. */
  private static double statm(int field) {
    try {
      String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
      return Long.parseLong(f[field]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
