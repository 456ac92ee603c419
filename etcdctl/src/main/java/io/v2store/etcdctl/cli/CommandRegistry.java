package io.v2store.etcdctl.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The subcommands, created lazily. picocli builds its model of a command by reflection over the
 * annotations of every registered class; building all of them (sixteen when measured) cost most of the
 * start-up, so a run registers only the command it was asked for (and all of them for help, completion
 * or a typo).
 */
final class CommandRegistry {
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();
    private static final Set<String> GLOBALS_WITH_VALUE = Set.of("--output", "-o", "--discovery-srv", "-D",
            "--peers", "-C", "--endpoint", "--endpoints", "--cert-file", "--key-file", "--ca-file", "--username", "-u",
            "--timeout", "--total-timeout");
    private static final List<String> SHORT_WITH_VALUE = List.of("-o", "-D", "-C", "-u");
    private static final Set<String> LONG_BOOLEANS = Set.of("--debug", "--no-sync", "--insecure-discovery",
            "--help", "--version");

    static {
        COMMANDS.put("backup", BackupCommand::new);
        COMMANDS.put("cluster-health", ClusterHealthCommand::new);
        COMMANDS.put("mk", MkCommand::new);
        COMMANDS.put("mkdir", MkdirCommand::new);
        COMMANDS.put("rm", RmCommand::new);
        COMMANDS.put("rmdir", RmdirCommand::new);
        COMMANDS.put("get", GetCommand::new);
        COMMANDS.put("ls", LsCommand::new);
        COMMANDS.put("set", SetCommand::new);
        COMMANDS.put("setdir", SetdirCommand::new);
        COMMANDS.put("update", UpdateCommand::new);
        COMMANDS.put("updatedir", UpdatedirCommand::new);
        COMMANDS.put("watch", WatchCommand::new);
        COMMANDS.put("exec-watch", ExecWatchCommand::new);
        COMMANDS.put("member", MemberCommand::new);
        COMMANDS.put("user", UserCommand::new);
        COMMANDS.put("role", RoleCommand::new);
        COMMANDS.put("auth", AuthCommand::new);
        COMMANDS.put("completion", CompletionCommand::new);
    }

    private CommandRegistry() {
    }

    static void register(CommandLine root, String[] args) {
        final String wanted = commandName(args);
        if (wanted != null && COMMANDS.containsKey(wanted) && !wanted.equals("completion")) {
            root.addSubcommand(wanted, COMMANDS.get(wanted).get());
            return;
        }
        for (Map.Entry<String, Supplier<Object>> e : COMMANDS.entrySet()) {
            root.addSubcommand(e.getKey(), e.getValue().get());
        }
        root.addSubcommand("help", new CommandLine.HelpCommand(), "h");
    }

    /** The first word after the global options, or null. */
    static String commandName(String[] args) {
        final int index = commandIndex(args);
        return index < 0 ? null : args[index];
    }

    /**
     * The global options with their long names written as picocli takes them: Go's flag package
     * reads {@code -endpoints} (or {@code -version}) as {@code --endpoints}. Up to the command word.
     */
    static String[] goGlobalFlags(String[] args) {
        final String[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            final String a = out[i];
            if (a.equals("--") || !a.startsWith("-") || a.equals("-")) {
                break;
            }
            if (!a.startsWith("--")) {
                final String name = "-" + a.replaceFirst("=.*$", "");
                if (GLOBALS_WITH_VALUE.contains(name) || LONG_BOOLEANS.contains(name)) {
                    out[i] = "-" + a;
                }
            }
            if (GLOBALS_WITH_VALUE.contains(out[i])) {
                i++;
            }
        }
        return out;
    }

    /** Where the first word after the global options is, or -1. */
    static int commandIndex(String[] args) {
        for (int i = 0; i < args.length; i++) {
            final String a = args[i];
            if (a.equals("--")) {
                return i + 1 < args.length ? i + 1 : -1;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                return i;
            }
            if (GLOBALS_WITH_VALUE.contains(a)) {
                i++;
            } else if (!a.contains("=") && !a.startsWith("--") && a.length() > 2
                    && !SHORT_WITH_VALUE.contains(a.substring(0, 2))) {
                return -1; // clustered short flags we do not model: register everything
            }
        }
        return -1;
    }
}
