package io.v2store.etcdctl.cli;

import java.util.Map;

/**
 * bin/etcdctl runs the JVM under a UTF-8 locale so that arguments and keys are decoded correctly
 * whatever the caller's locale; it saves the caller's LC_ALL in ETCDCTL_SAVED_LC_ALL so that commands
 * started by exec-watch see the caller's own environment.
 */
final class LocaleRestore {
    static final String SAVED = "ETCDCTL_SAVED_LC_ALL";
    static final String UNSET = "<unset>";

    private LocaleRestore() {
    }

    static void apply(Map<String, String> env) {
        final String saved = env.remove(SAVED);
        if (saved == null) {
            return;
        }
        if (saved.equals(UNSET)) {
            env.remove("LC_ALL");
        } else {
            env.put("LC_ALL", saved);
        }
    }
}
