package io.v2store.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Builds the next request of a put, get or mixed run: keys, values and query flags. */
final class RequestFactory {
  private final BenchConfig config;
  private final byte[] putBody;
  private final AtomicLong nextUnique = new AtomicLong();
  private final String runTag;

  RequestFactory(BenchConfig config, String runTag) {
    this.config = config;
    this.runTag = runTag;
    this.putBody = ("value=" + "x".repeat(config.valueBytes())).getBytes(StandardCharsets.US_ASCII);
  }

  /** The path a get or mixed run reads, loaded by {@link Setup#loadKeys} first. */
  static String readKey(String prefix, int i) {
    return prefix + "/r/" + i;
  }

  FullHttpRequest next(String host) {
    return switch (config.mode()) {
      case PUT -> put(host);
      case GET -> get(host);
      case MIXED -> ThreadLocalRandom.current().nextInt(100) < config.readPercent()
          ? get(host) : put(host);
      case WATCH -> throw new IllegalStateException("watch runs build their own requests");
    };
  }

  FullHttpRequest put(String host) {
    String key = config.hotKeys() > 0
        ? config.prefix() + "/hot/" + ThreadLocalRandom.current().nextInt(config.hotKeys())
        : config.prefix() + "/u/" + runTag + "/" + nextUnique.getAndIncrement();
    return put(host, key, putBody);
  }

  static FullHttpRequest put(String host, String key, byte[] formBody) {
    ByteBuf body = Unpooled.wrappedBuffer(formBody);
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT,
        "/v2/keys" + key, body);
    r.headers().set(HttpHeaderNames.HOST, host)
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, formBody.length);
    return r;
  }

  FullHttpRequest get(String host) {
    String key = readKey(config.prefix(),
        ThreadLocalRandom.current().nextInt(Math.max(1, config.keyCount())));
    return get(host, "/v2/keys" + key + (config.quorum() ? "?quorum=true" : ""));
  }

  static FullHttpRequest get(String host, String uri) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri,
        Unpooled.EMPTY_BUFFER);
    r.headers().set(HttpHeaderNames.HOST, host);
    return r;
  }
}
