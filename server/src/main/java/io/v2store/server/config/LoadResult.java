package io.v2store.server.config;

import java.util.List;
import java.util.Objects;

/** What the command line asks for: run a server, or print something and exit. */
public sealed interface LoadResult permits LoadResult.Run, LoadResult.Exit {

    /**
     * Start a server.
     *
     * @param warnings lines the server must log at warning level (flags accepted but not
     *     implemented, unrecognised ETCD_* variables, legacy flags)
     * @param infos lines to log at info level (environment variables used)
     */
    record Run(ServerConfig config, List<String> warnings, List<String> infos) implements LoadResult {
        public Run {
            Objects.requireNonNull(config);
            warnings = List.copyOf(warnings);
            infos = List.copyOf(infos);
        }
    }

    /** Print {@code stdout} and {@code stderr} as they are and exit with {@code code}. */
    record Exit(int code, String stdout, String stderr) implements LoadResult {
        public Exit {
            Objects.requireNonNull(stdout);
            Objects.requireNonNull(stderr);
        }
    }
}
