package io.v2store.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * PUT /config/local/log {"Level":"DEBUG"}: the log level changed while the server runs, as etcd
 * 3.4's admin guide has operators do when they chase a problem. etcd's level names (capnslog's,
 * their one-letter and numeric forms, any case) map onto java.util.logging's; 204 when set.
 * As in etcd, no credentials are asked for.
 */
final class LogLevelEndpoint implements Endpoint {
  private static final Logger LOG = Logger.getLogger(LogLevelEndpoint.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The canonical name etcd reports, and the level it means here. */
  record Choice(String name, Level level) {}

  private final Consumer<Level> apply;

  /** Sets the root logger and its handlers: the whole process, as etcd's global level. */
  LogLevelEndpoint() {
    this(level -> {
      Logger root = Logger.getLogger("");
      root.setLevel(level);
      for (Handler h : root.getHandlers()) h.setLevel(level);
    });
  }

  LogLevelEndpoint(Consumer<Level> apply) {
    this.apply = apply;
  }

  @Override
  public void handle(ChannelHandlerContext ctx, RoutedRequest request) {
    if (!request.method().equals("PUT")) {
      Responses.send(ctx, false, Responses.methodNotAllowed("PUT"));
      return;
    }
    String given;
    try {
      given = level(request.http().content().toString(StandardCharsets.UTF_8));
    } catch (BadBody e) {
      Responses.send(ctx, false, Responses.json(HttpResponseStatus.BAD_REQUEST,
          "{\"message\":\"Invalid json body\"}"));
      return;
    }
    Choice choice = parse(given);
    if (choice == null) {
      Responses.send(ctx, false, Responses.json(HttpResponseStatus.BAD_REQUEST,
          "{\"message\":" + JsonText.quote("Invalid log level " + given) + "}"));
      return;
    }
    LOG.info("log level set to \"" + choice.name() + "\" (" + choice.level() + ")");
    apply.accept(choice.level());
    Responses.send(ctx, false, Responses.noContent());
  }

  /** capnslog's ParseLevel on the upper-cased name; null when it is none of them. */
  static Choice parse(String given) {
    return switch (given.toUpperCase(Locale.ROOT)) {
      case "CRITICAL", "C" -> new Choice("CRITICAL", Level.SEVERE);
      case "ERROR", "E", "0" -> new Choice("ERROR", Level.SEVERE);
      case "WARNING", "W", "1" -> new Choice("WARNING", Level.WARNING);
      case "NOTICE", "N", "2" -> new Choice("NOTICE", Level.INFO); // between INFO and WARNING
      case "INFO", "I", "3" -> new Choice("INFO", Level.INFO);
      case "DEBUG", "D", "4" -> new Choice("DEBUG", Level.FINE);
      case "TRACE", "T", "5" -> new Choice("TRACE", Level.FINEST);
      default -> null;
    };
  }

  /**
   * The Level field as Go's json.Decoder fills a struct from the body's first JSON value: names
   * match ignoring case and the last match wins, other fields and whatever follows the value are
   * ignored, null leaves it empty; anything but an object (or null), or a Level that is not a
   * string, is a bad body.
   */
  static String level(String body) throws BadBody {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadBody();
    }
    if (root == null || root.isMissingNode()) throw new BadBody(); // empty: Go's EOF
    if (root.isNull()) return "";
    if (!root.isObject()) throw new BadBody();
    String level = "";
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getKey().equalsIgnoreCase("level")) continue;
      JsonNode v = field.getValue();
      if (v.isNull()) continue;
      if (!v.isTextual()) throw new BadBody();
      level = v.asText();
    }
    return level;
  }

  static final class BadBody extends Exception {
    private static final long serialVersionUID = 1L;
  }
}
