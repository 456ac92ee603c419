package io.v2store.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads etcd's command line and {@code ETCD_*} environment into a {@link LoadResult}, in etcd
 * 3.4's order: flags (exit 2 on a flag error, help exits 0), positional arguments (exit 1),
 * {@code --version} (exit 0), the environment (conflict or bad value: exit 1), then the
 * cross-flag checks (exit 1). Nothing is printed here; the caller prints and exits.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    public static LoadResult load(String[] args, Map<String, String> env) {
        Map<String, FlagSpec> flags = FlagCatalog.byName();
        GoFlagParser.Outcome outcome = new GoFlagParser(flags).parse(Arrays.asList(args));
        if (outcome instanceof GoFlagParser.HelpRequested) {
            return new LoadResult.Exit(0, UsageText.full(), "");
        }
        if (outcome instanceof GoFlagParser.Failed failed) {
            return new LoadResult.Exit(2, "", failed.message() + "\n" + UsageText.usageLine());
        }
        GoFlagParser.Parsed parsed = (GoFlagParser.Parsed) outcome;
        if (!parsed.positional().isEmpty()) {
            return verifyError("'" + parsed.positional().get(0) + "' is not a valid flag");
        }
        if (parsed.values().containsKey("version") && FlagValues.parseBool(parsed.values().get("version"))) {
            return new LoadResult.Exit(0, VersionText.render(), "");
        }

        // As etcd: --config-file (or ETCD_CONFIG_FILE) replaces every flag and variable.
        String configFile = parsed.values().getOrDefault("config-file", "");
        if (configFile.isEmpty()) {
            configFile = env.getOrDefault("ETCD_CONFIG_FILE", "");
        }
        if (!configFile.isEmpty()) {
            String loading = "Loading server configuration from \"" + configFile + "\". Other configuration "
                + "command line flags and environment variables will be ignored if provided.";
            Map<String, String> fromFile;
            try {
                fromFile = ConfigFile.read(Path.of(configFile), flags);
            } catch (ConfigBuilder.InvalidConfigException e) {
                if (e.bare()) {
                    return new LoadResult.Exit(1, "", e.getMessage() + "\n");
                }
                LoadResult.Exit failed = verifyError(e.getMessage());
                return new LoadResult.Exit(1, "", "etcdmain: " + loading + "\n" + failed.stderr());
            }
            return build(fromFile, true, List.of(), List.of(loading));
        }

        EnvOverlay.Result fromEnv = EnvOverlay.apply(flags, parsed.values(), env);
        if (fromEnv instanceof EnvOverlay.Rejected rejected) {
            if (rejected.badValue()) {
                return verifyError(rejected.message());
            }
            return new LoadResult.Exit(1, "", "etcdmain: " + rejected.message() + "\n");
        }
        EnvOverlay.Merged merged = (EnvOverlay.Merged) fromEnv;
        return build(merged.values(), false, merged.warnings(), merged.infos());
    }

    private static LoadResult build(Map<String, String> values, boolean fromConfigFile,
                                    List<String> warningsSoFar, List<String> infos) {
        ConfigBuilder builder = new ConfigBuilder(values, fromConfigFile);
        ServerConfig config;
        try {
            config = builder.build();
        } catch (ConfigBuilder.InvalidConfigException e) {
            return verifyError(e.getMessage());
        }
        List<String> warnings = new ArrayList<>(warningsSoFar);
        warnings.addAll(builder.warnings());
        return new LoadResult.Run(config, warnings, infos);
    }

    private static LoadResult.Exit verifyError(String message) {
        return new LoadResult.Exit(1, "", "etcdmain: error verifying flags, " + message + ". See 'etcd --help'.\n");
    }
}
