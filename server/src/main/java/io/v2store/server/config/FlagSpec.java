package io.v2store.server.config;

import java.util.List;
import java.util.Objects;

/**
 * One command-line flag: its name without dashes, its value syntax, its default as etcd prints
 * it in --help, and whether we honour it.
 */
public record FlagSpec(String name, FlagKind kind, String defaultValue, Support support,
                       List<String> choices, String help) {

    public FlagSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(defaultValue);
        Objects.requireNonNull(support);
        choices = List.copyOf(choices);
        Objects.requireNonNull(help);
        if (kind == FlagKind.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("choice flag without choices: " + name);
        }
    }

    /** The environment variable etcd reads for this flag: ETCD_ + upper case, '-' becomes '_'. */
    public String envName() {
        return "ETCD_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }
}
