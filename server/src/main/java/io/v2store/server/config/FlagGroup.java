package io.v2store.server.config;

import java.util.List;

/** A titled section of the usage text, in the order etcd prints it. */
public record FlagGroup(String title, List<FlagSpec> flags) {
    public FlagGroup {
        flags = List.copyOf(flags);
    }
}
