package io.v2store.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The command line: {@code bench <put|get|mixed|watch> [--flag value]...} or
 * {@code bench compare <mode> --a <endpoints> --b <endpoints> [--rounds n] [--warmup-rounds n]
 * [--flag value]...}.
 * Flags take {@code --name value} or {@code --name=value}; booleans may stand alone.
 */
public final class BenchArgs {
  static final String USAGE = """
      usage: bench <put|get|mixed|watch> --endpoints URL[,URL...] [options]
             bench compare <mode> --a URL[,URL...] --b URL[,URL...] [--rounds N]
                           [--warmup-rounds N] [--settle D] [options]
      options:
        --conns N          connections, spread round-robin over the endpoints (default 1)
        --duration D       run length: 10s, 500ms, 1m (default 10s)
        --requests N       stop after N measured requests instead of a duration
        --warmup D         load before measuring, not recorded (default 1s)
        --warmup-rounds N  compare: N unmeasured rounds on each side (A B ...) in this same
                           process before the measured ones (default 0)
        --settle D         compare: before each round, wait up to D until the rest of the
                           machine uses less than --settle-cores (default 0s: no wait), so that
                           what one side still does after its round is not charged to the other
        --settle-cores X   compare: what counts as a quiet machine, in busy cores (default 0.25)
        --leader           send only to the member whose /v2/stats/self says it leads
        --value-size N     bytes per value (default 256, at most 8 MiB)
        --hot-keys N       put over N keys instead of unique keys (default 0: unique)
        --keys N           keys loaded for get/mixed (default 1000)
        --quorum           reads with quorum=true
        --read-percent N   reads in mixed mode (default 50)
        --watchers N       long-poll watchers in watch mode (default 100)
        --recursive        watchers watch the directory recursively, the writer writes under it
        --write-rate N     writes per second of the watch writer (default 20)
        --rearm-after D    watch: a watcher re-arms D after its event, as confd does once it has
                           re-read the keys and rendered (default 0: at once)
        --answer-timeout D a request unanswered this long is an error, and a run by count
                           with nothing answered this long ends (default 30s)
        --drain D          watch: after the writer, wait for watchers until no event came for
                           D plus --rearm-after (default 10s)
        --threads N        client I/O threads (default 2)
        --prefix P         key prefix (default /bench)
        --json             print the result as JSON on stdout
        --no-progress      no live progress line on stderr
        --trace            watch: print when each watcher had each write, per endpoint
      """;

  private static final Set<String> BOOLEANS =
      Set.of("leader", "quorum", "recursive", "json", "no-progress", "trace");

  /** A bad command line: the message is shown with the usage. */
  public static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  /** What the command line asks for: one run, or a comparison of two endpoint sets. */
  public sealed interface Command permits Single, Compare {}

  public record Single(BenchConfig config) implements Command {}

  /**
   * @param warmupRounds rounds run on each side, alternated like the measured ones, and not
   *     recorded: they warm this process's own compiled code as much as the servers'
   * @param settleMillis before each round, the longest wait for a quiet machine (0: none)
   * @param settleCores busy cores (others than this process) below which the machine is quiet
   */
  public record Compare(BenchConfig a, BenchConfig b, int rounds, int warmupRounds,
      long settleMillis, double settleCores) implements Command {}

  private BenchArgs() {}

  public static Command parse(String... args) {
    if (args.length == 0 || args[0].startsWith("--")) throw new UsageException("no mode given");
    boolean compare = args[0].equals("compare");
    int first = compare ? 2 : 1;
    if (compare && args.length < 2) throw new UsageException("compare needs a mode");
    Mode mode = Mode.parse(args[compare ? 1 : 0]);
    Map<String, String> flags = flags(args, first);
    if (compare) {
      List<URI> a = endpoints(require(flags, "a"));
      List<URI> b = endpoints(require(flags, "b"));
      int rounds = intFlag(flags, "rounds", 2);
      if (rounds < 1) throw new UsageException("--rounds must be >= 1");
      int warmupRounds = intFlag(flags, "warmup-rounds", 0);
      if (warmupRounds < 0) throw new UsageException("--warmup-rounds must be >= 0");
      long settle = durationMillis(flags.getOrDefault("settle", "0s"));
      if (settle < 0) throw new UsageException("--settle must be >= 0");
      double settleCores = doubleFlag(flags, "settle-cores", 0.25);
      if (!(settleCores > 0)) throw new UsageException("--settle-cores must be > 0");
      BenchConfig base = config(mode, a, flags);
      return new Compare(base, base.withEndpoints(b), rounds, warmupRounds, settle, settleCores);
    }
    return new Single(config(mode, endpoints(require(flags, "endpoints")), flags));
  }

  private static BenchConfig config(Mode mode, List<URI> endpoints, Map<String, String> f) {
    long requests = longFlag(f, "requests", 0);
    long duration = f.containsKey("duration") || requests == 0
        ? durationMillis(f.getOrDefault("duration", "10s")) : 0;
    return new BenchConfig(mode, endpoints, f.containsKey("leader"),
        intFlag(f, "conns", 1), duration, requests,
        durationMillis(f.getOrDefault("warmup", "1s")), intFlag(f, "value-size", 256),
        intFlag(f, "hot-keys", 0), intFlag(f, "keys", 1000), f.containsKey("quorum"),
        intFlag(f, "read-percent", 50), intFlag(f, "watchers", 100), f.containsKey("recursive"),
        intFlag(f, "write-rate", 20), durationMillis(f.getOrDefault("rearm-after", "0s")),
        durationMillis(f.getOrDefault("answer-timeout", "30s")),
        durationMillis(f.getOrDefault("drain", "10s")), intFlag(f, "threads", 2),
        f.getOrDefault("prefix", "/bench"), f.containsKey("json"), !f.containsKey("no-progress"),
        f.containsKey("trace"));
  }

  private static Map<String, String> flags(String[] args, int from) {
    Map<String, String> out = new HashMap<>();
    for (int i = from; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) throw new UsageException("unexpected argument '" + arg + "'");
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (BOOLEANS.contains(name)) {
        value = "true";
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException("flag --" + name + " needs a value");
      }
      if (!KNOWN.contains(name)) throw new UsageException("unknown flag --" + name);
      out.put(name, value);
    }
    return out;
  }

  private static final Set<String> KNOWN = Set.of("endpoints", "a", "b", "rounds",
      "warmup-rounds", "conns",
      "duration", "requests", "warmup", "leader", "value-size", "hot-keys", "keys", "quorum",
      "read-percent", "watchers", "recursive", "write-rate", "rearm-after", "threads", "prefix",
      "answer-timeout", "drain", "json", "no-progress", "trace", "settle", "settle-cores");

  static List<URI> endpoints(String list) {
    List<URI> out = new ArrayList<>();
    for (String part : list.split(",")) {
      String s = part.strip();
      if (s.isEmpty()) continue;
      URI uri;
      try {
        uri = URI.create(s.contains("://") ? s : "http://" + s);
      } catch (IllegalArgumentException e) {
        throw new UsageException("bad endpoint '" + s + "': " + e.getMessage());
      }
      if (uri.getHost() == null || uri.getPort() < 0 || uri.getPort() > 65535) {
        throw new UsageException("endpoint needs host:port: " + s);
      }
      // Requests go in plain HTTP to /v2/... on host:port: an https endpoint or one with a path
      // would be measured as something it is not.
      if (!"http".equalsIgnoreCase(uri.getScheme())) {
        throw new UsageException("only http:// endpoints (no TLS): " + s);
      }
      if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
          || uri.getRawQuery() != null) {
        throw new UsageException("endpoint with a path: " + s + " (requests go to /v2/...)");
      }
      out.add(uri);
    }
    if (out.isEmpty()) throw new UsageException("empty endpoint list");
    return out;
  }

  /** Go-like durations: 250ms, 10s, 2m, or a bare number of seconds. */
  static long durationMillis(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("ms")) return Long.parseLong(t.substring(0, t.length() - 2));
      if (t.endsWith("s")) return Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000);
      if (t.endsWith("m")) return Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000);
      return Math.round(Double.parseDouble(t) * 1000);
    } catch (NumberFormatException e) {
      throw new UsageException("bad duration '" + text + "'");
    }
  }

  private static String require(Map<String, String> flags, String name) {
    String v = flags.get(name);
    if (v == null) throw new UsageException("--" + name + " is required");
    return v;
  }

  private static int intFlag(Map<String, String> flags, String name, int dflt) {
    long v = longFlag(flags, name, dflt);
    if (v != (int) v) throw new UsageException("--" + name + " is out of range: " + v);
    return (int) v;
  }

  private static double doubleFlag(Map<String, String> flags, String name, double dflt) {
    String v = flags.get(name);
    if (v == null) return dflt;
    try {
      return Double.parseDouble(v.strip());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " needs a number, not '" + v + "'");
    }
  }

  private static long longFlag(Map<String, String> flags, String name, long dflt) {
    String v = flags.get(name);
    if (v == null) return dflt;
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " needs a number, not '" + v + "'");
    }
  }
}
