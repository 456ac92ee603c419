package io.v2store.server.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * etcd's {@code pkg/flags.SetFlagsFromEnv}: every flag not given on the command line may come
 * from {@code ETCD_<FLAG>} (an empty variable counts as absent); a variable whose flag was also
 * given on the command line is a fatal conflict, even when empty; other {@code ETCD_*} variables
 * only produce a warning.
 */
public final class EnvOverlay {

    /**
     * @param values command-line values overlaid with the environment's
     * @param fromEnv names of the flags whose value came from the environment
     */
    public record Merged(Map<String, String> values, List<String> fromEnv, List<String> infos,
                         List<String> warnings) implements Result {
        public Merged {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
            fromEnv = List.copyOf(fromEnv);
            infos = List.copyOf(infos);
            warnings = List.copyOf(warnings);
        }
    }

    private EnvOverlay() {
    }

    /** The environment either merges cleanly or is fatal. */
    public sealed interface Result permits Merged, Rejected {
    }

    /**
     * @param message what etcd dies with (exit code 1)
     * @param badValue a variable's value was refused (etcd reports it as it reports a flag that
     *     fails verification), rather than a variable in conflict with a flag
     */
    public record Rejected(String message, boolean badValue) implements Result {
    }

    public static Result apply(Map<String, FlagSpec> flags, Map<String, String> commandLine,
                               Map<String, String> env) {
        Map<String, String> byEnvName = new TreeMap<>();
        flags.values().forEach(spec -> byEnvName.put(spec.envName(), spec.name()));

        // Sorted so that the reported conflict does not depend on map order.
        Map<String, String> sortedEnv = new TreeMap<>(env);
        for (String key : sortedEnv.keySet()) {
            String flag = byEnvName.get(key);
            if (flag != null && commandLine.containsKey(flag)) {
                return new Rejected("conflicting environment variable \"" + key
                    + "\" is shadowed by corresponding command-line flag"
                    + " (either unset environment variable or disable flag)", false);
            }
        }

        Map<String, String> values = new LinkedHashMap<>(commandLine);
        List<String> fromEnv = new ArrayList<>();
        List<String> infos = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, String> e : sortedEnv.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            String flag = byEnvName.get(key);
            if (flag == null || value.isEmpty()) {
                if (key.startsWith("ETCD_")) {
                    warnings.add("unrecognized environment variable " + key + "=" + value);
                }
                continue;
            }
            Optional<String> problem = FlagValues.problem(flags.get(flag), value);
            if (problem.isPresent()) {
                return new Rejected("invalid value \"" + value + "\" for " + key + ": " + problem.get(), true);
            }
            values.put(flag, value);
            fromEnv.add(flag);
            infos.add("recognized and used environment variable " + key + "=" + value);
        }
        return new Merged(values, fromEnv, infos, warnings);
    }
}
