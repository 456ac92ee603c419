package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFactory;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.v2store.server.config.ProxySettings;
import io.v2store.testkit.LoopbackPorts;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dial to a member that cannot even make a socket (the proxy is out of file descriptors): Netty
 * reports it on its global executor, not on the client connection's event loop, with a stand-in
 * channel that no event loop owns. A client that left meanwhile had the proxy close that stand-in,
 * which throws: a stack trace in the log for each such client.
 */
class ProxyDialFailureTest {
  private HttpServer peer;
  private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
  private final Logger netty = Logger.getLogger("io.netty");
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) warnings.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void start() throws Exception {
    peer = MembersStub.start(LoopbackPorts::next);
    netty.addHandler(capture);
  }

  @AfterEach
  void stop() {
    netty.removeHandler(capture);
    peer.stop(0);
  }

  @Test
  void aClientThatLeavesWhileADialMakesNoSocketLeavesNoStackTrace() throws Exception {
    ProxyEndpoints endpoints = new ProxyEndpoints(
        List.of(URI.create("http://127.0.0.1:" + peer.getAddress().getPort())), 60_000, 1_000,
        peers -> {});
    endpoints.refresh();
    assertEquals(1, endpoints.forNextRequest().size());
    ChannelFactory<Channel> noSocket = () -> {
      throw new ChannelException("Too many open files");
    };
    ProxyForwarder forwarder = new ProxyForwarder(endpoints, null,
        new ProxySettings(true, false, true, 5_000, 30_000, 1_000, 0, 5_000), new ProxyMetrics(),
        noSocket);
    EmbeddedChannel client = new EmbeddedChannel(forwarder);
    // Netty's global executor busy with something else: the dial's failure waits its turn there
    CountDownLatch busy = new CountDownLatch(1);
    GlobalEventExecutor.INSTANCE.execute(() -> {
      try {
        busy.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    FullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v2/keys/a");
    request.headers().set("Host", "proxy");
    client.writeInbound(request);
    client.close(); // the client leaves while the dial's failure waits
    busy.countDown();
    GlobalEventExecutor.INSTANCE.submit(() -> { }).get(10, TimeUnit.SECONDS);
    client.runPendingTasks();
    assertTrue(warnings.isEmpty(), () -> "logged: " + warnings.stream()
        .map(r -> r.getMessage() + " " + r.getThrown()).toList());
    client.finishAndReleaseAll();
  }
}
