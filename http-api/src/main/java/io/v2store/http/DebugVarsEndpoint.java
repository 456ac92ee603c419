package io.v2store.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * GET /debug/vars: etcd's expvar page. The variables etcd publishes, in its order and layout:
 * cmdline (this process's command line), file_descriptor_limit, memstats and raft.status (the
 * Raft state with each member's replication progress on the leader, what an operator reads when
 * a follower lags). memstats has Go's names for the JVM's figures where one means the other
 * (heap in use, committed, collections and their time); Go-only fields are left out.
 */
final class DebugVarsEndpoint implements Endpoint {
  private final MemberBackend backend;
  private final String cmdline = cmdline();

  DebugVarsEndpoint(MemberBackend backend) {
    this.backend = backend;
  }

  @Override
  public void handle(ChannelHandlerContext ctx, RoutedRequest request) {
    if (!request.method().equals("GET")) {
      Responses.send(ctx, false, Responses.methodNotAllowed("GET"));
      return;
    }
    Deadlines.within(backend.raftStatusJson(), ctx.executor(), InfoEndpoints.HEALTH_TIMEOUT_MILLIS)
        .whenComplete((raft, failure) -> {
          // A raft loop that does not answer within the second still leaves the rest worth
          // reading; etcd's page would show the last status, ours says it has none.
          String body = "{\n\"cmdline\": " + cmdline
              + ",\n\"file_descriptor_limit\": " + fileDescriptorLimit()
              + ",\n\"memstats\": " + memstats()
              + ",\n\"raft.status\": " + (failure == null ? raft : "null") + "\n}\n";
          Responses.send(ctx, false, Responses.full(HttpResponseStatus.OK,
              "application/json; charset=utf-8", Unpooled.copiedBuffer(body, StandardCharsets.UTF_8)));
        });
  }

  private static String cmdline() {
    ProcessHandle.Info info = ProcessHandle.current().info();
    List<String> words = new ArrayList<>();
    info.command().ifPresent(words::add);
    info.arguments().ifPresent(a -> words.addAll(List.of(a)));
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < words.size(); i++) {
      if (i > 0) b.append(',');
      b.append(JsonText.quote(words.get(i)));
    }
    return b.append(']').toString();
  }

  private static long fileDescriptorLimit() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount() : 0;
  }

  static String memstats() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    MemoryUsage heap = memory.getHeapMemoryUsage();
    MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
    long collections = 0;
    long collectionMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      collections += Math.max(0, gc.getCollectionCount());
      collectionMillis += Math.max(0, gc.getCollectionTime());
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long totalAlloc = threads instanceof com.sun.management.ThreadMXBean hotspot
        && hotspot.isThreadAllocatedMemorySupported() && hotspot.isThreadAllocatedMemoryEnabled()
        ? Math.max(0, hotspot.getTotalThreadAllocatedBytes()) : 0;
    return "{\"Alloc\":" + heap.getUsed()
        + ",\"TotalAlloc\":" + totalAlloc
        + ",\"Sys\":" + (heap.getCommitted() + Math.max(0, nonHeap.getCommitted()))
        + ",\"HeapAlloc\":" + heap.getUsed()
        + ",\"HeapSys\":" + heap.getCommitted()
        + ",\"HeapIdle\":" + (heap.getCommitted() - heap.getUsed())
        + ",\"HeapInuse\":" + heap.getUsed()
        + ",\"PauseTotalNs\":" + collectionMillis * 1_000_000
        + ",\"NumGC\":" + collections + "}";
  }
}
