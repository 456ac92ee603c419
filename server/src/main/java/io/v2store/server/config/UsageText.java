package io.v2store.server.config;

/**
 * The usage texts: a short one printed after a flag error (stderr), and the full one for
 * {@code -h}/{@code --help} listing every flag with its default.
 */
public final class UsageText {

    private UsageText() {
    }

    /** Printed on stderr after {@code flag provided but not defined}, like etcd's usageline. */
    public static String usageLine() {
        return """
            Usage:

              etcd [flags]
                Start an etcd server.

              etcd --version
                Show the version of etcd.

              etcd -h | --help
                Show the help information about etcd.

              etcd --config-file
                Path to the server configuration file. Note that if a configuration file is provided, \
            other command line flags and environment variables will be ignored.
            """;
    }

    /** Every flag, grouped as etcd groups them, with its default. */
    public static String full() {
        StringBuilder out = new StringBuilder(usageLine());
        for (FlagGroup group : FlagCatalog.groups()) {
            out.append('\n').append(group.title()).append(":\n");
            for (FlagSpec spec : group.flags()) {
                out.append("  --").append(spec.name()).append(" '").append(spec.defaultValue()).append("'\n");
                out.append("    ").append(spec.help());
                if (spec.support() == Support.NOT_IMPLEMENTED) {
                    out.append(" [accepted; not implemented by this server]");
                }
                out.append('\n');
            }
        }
        out.append("\nEvery flag may also be given as an environment variable: --some-flag as ETCD_SOME_FLAG.\n");
        return out.toString();
    }
}
