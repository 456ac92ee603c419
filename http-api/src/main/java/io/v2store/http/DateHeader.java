package io.v2store.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The Date header Go's server puts on every response a handler makes ("Thu, 03 Dec 2026 19:14:48
 * GMT"; HTTP/1.1 asks it of any server with a clock), formatted once a second, not per response.
 * Go's own 400s for unparsable requests ({@link Responses.BeforeHandlers}) and its "100 Continue"
 * have none, as in Go.
 */
@ChannelHandler.Sharable
public final class DateHeader extends ChannelOutboundHandlerAdapter {
  public static final DateHeader INSTANCE = new DateHeader();

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  private record Stamp(long second, String text) {}

  private volatile Stamp stamp = new Stamp(-1, "");

  private DateHeader() {}

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response && !(msg instanceof Responses.BeforeHandlers)
        && response.status().codeClass() != HttpStatusClass.INFORMATIONAL
        && !response.headers().contains(HttpHeaderNames.DATE)) {
      response.headers().set("Date", now()); // spelled as Go spells it
    }
    ctx.write(msg, promise);
  }

  /** The current second in HTTP's date format. */
  public String now() {
    long second = System.currentTimeMillis() / 1000;
    Stamp current = stamp;
    if (current.second() != second) {
      current = new Stamp(second, HTTP_DATE.format(Instant.ofEpochSecond(second)));
      stamp = current;
    }
    return current.text();
  }
}
