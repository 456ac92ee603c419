package io.v2store.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The small informational endpoints: /version, /health, /v2/machines and /metrics. */
final class InfoEndpoints {
  static final long HEALTH_TIMEOUT_MILLIS = 1_000;
  private final MemberBackend backend;
  private final HttpApiConfig config;
  private final PrometheusMeterRegistry registry;
  private final AtomicLong healthy = new AtomicLong();
  private final AtomicLong unhealthy = new AtomicLong();

  InfoEndpoints(MemberBackend backend, HttpApiConfig config, PrometheusMeterRegistry registry) {
    this.backend = backend;
    this.config = config;
    this.registry = registry;
    // etcd's names have no _total, which a micrometer counter would add: gauges of counts
    Gauge.builder("etcd_server_health_success", healthy, AtomicLong::get)
        .description("The total number of successful health checks").register(registry);
    Gauge.builder("etcd_server_health_failures", unhealthy, AtomicLong::get)
        .description("The total number of failed health checks").register(registry);
  }

  Endpoint version() {
    String body = "{\"etcdserver\":" + JsonText.quote(config.serverVersion())
        + ",\"etcdcluster\":" + JsonText.quote(config.clusterVersion()) + "}";
    return (ctx, request) -> {
      if (getOnly(ctx, request)) {
        Responses.send(ctx, false, Responses.json(HttpResponseStatus.OK, body));
      }
    };
  }

  /** 200 {"health":"true"} or, without a leader or a quorum read within 1 s, 503 (Go's http.Error). */
  Endpoint health() {
    return (ctx, request) -> {
      if (!getOnly(ctx, request)) {
        return;
      }
      Deadlines.within(backend.health(), ctx.executor(), HEALTH_TIMEOUT_MILLIS)
          .whenComplete((healthy, failure) -> {
            if (failure == null && Boolean.TRUE.equals(healthy)) {
              this.healthy.incrementAndGet();
              Responses.send(ctx, false, Responses.full(HttpResponseStatus.OK, Responses.TEXT_PLAIN,
                  Unpooled.copiedBuffer("{\"health\":\"true\"}", StandardCharsets.UTF_8)));
            } else {
              unhealthy.incrementAndGet();
              Responses.send(ctx, false, Responses.goError(HttpResponseStatus.SERVICE_UNAVAILABLE,
                  "{\"health\":\"false\"}"));
            }
          });
    };
  }

  /** Every member's client URLs, sorted, joined with ", " (spec 10.2). */
  Endpoint machines() {
    return (ctx, request) -> {
      String method = request.method();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        Responses.send(ctx, false, Responses.methodNotAllowed("GET,HEAD"));
        return;
      }
      List<String> urls = new ArrayList<>();
      for (Member m : backend.members()) {
        urls.addAll(m.clientUrls());
      }
      urls.sort(null);
      Responses.send(ctx, request.isHead(), Responses.full(HttpResponseStatus.OK,
          Responses.TEXT_PLAIN, Unpooled.copiedBuffer(String.join(", ", urls),
              StandardCharsets.UTF_8)));
    };
  }

  Endpoint metrics() {
    return (ctx, request) -> Responses.send(ctx, request.isHead(), Responses.full(
        HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
        Unpooled.copiedBuffer(registry.scrape(), StandardCharsets.UTF_8)));
  }

  private static boolean getOnly(ChannelHandlerContext ctx, RoutedRequest request) {
    if (request.method().equals("GET")) {
      return true;
    }
    Responses.send(ctx, false, Responses.methodNotAllowed("GET"));
    return false;
  }
}
