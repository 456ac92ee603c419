package io.v2store.server.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command-line half of Go's {@code flag.FlagSet.Parse} as etcd uses it: {@code -f v},
 * {@code --f v}, {@code -f=v}, {@code --f=v}; a boolean alone means true and takes a value only
 * with {@code =}; {@code --} ends the flags; parsing stops at the first argument that is not a
 * flag. Values are checked as they are set, so the first bad one ends parsing.
 */
public final class GoFlagParser {

    /** What parsing produced. */
    public sealed interface Outcome permits Parsed, HelpRequested, Failed {
    }

    /**
     * @param values the flags set, by name, last occurrence wins, in first-seen order
     * @param positional the arguments left after the flags
     */
    public record Parsed(Map<String, String> values, List<String> positional) implements Outcome {
        public Parsed {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
            positional = List.copyOf(positional);
        }
    }

    /** {@code -h} or {@code --help} (etcd defines neither flag, so Go answers ErrHelp). */
    public record HelpRequested() implements Outcome {
    }

    /** @param message Go's wording, e.g. {@code flag provided but not defined: -foo} */
    public record Failed(String message) implements Outcome {
    }

    private final Map<String, FlagSpec> flags;

    public GoFlagParser(Map<String, FlagSpec> flags) {
        this.flags = Map.copyOf(flags);
    }

    public Outcome parse(List<String> args) {
        Map<String, String> values = new LinkedHashMap<>();
        int i = 0;
        while (i < args.size()) {
            String arg = args.get(i);
            if (arg.length() < 2 || arg.charAt(0) != '-') {
                break;
            }
            int minuses = 1;
            if (arg.charAt(1) == '-') {
                minuses = 2;
                if (arg.length() == 2) {
                    i++;
                    break;
                }
            }
            String name = arg.substring(minuses);
            if (name.isEmpty() || name.charAt(0) == '-' || name.charAt(0) == '=') {
                return new Failed("bad flag syntax: " + arg);
            }
            i++;
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            FlagSpec spec = flags.get(name);
            if (spec == null) {
                if (name.equals("help") || name.equals("h")) {
                    return new HelpRequested();
                }
                return new Failed("flag provided but not defined: -" + name);
            }
            if (spec.kind().isBoolean()) {
                if (value == null) {
                    value = "true";
                } else if (FlagValues.problem(spec, value).isPresent()) {
                    return new Failed("invalid boolean value \"" + value + "\" for -" + name + ": parse error");
                }
            } else {
                if (value == null) {
                    if (i >= args.size()) {
                        return new Failed("flag needs an argument: -" + name);
                    }
                    value = args.get(i);
                    i++;
                }
                var problem = FlagValues.problem(spec, value);
                if (problem.isPresent()) {
                    return new Failed("invalid value \"" + value + "\" for flag -" + name + ": " + problem.get());
                }
            }
            values.put(name, value);
        }
        return new Parsed(values, args.subList(i, args.size()));
    }
}
