package io.v2store.etcdctl.cli;

import java.util.ArrayList;
import java.util.Arrays;
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
    private static final Set<String> GROUPS = Set.of("member", "user", "role", "auth");
    private static final List<String> SHORT_WITH_VALUE = List.of("-o", "-D", "-C", "-u");
    private static final Set<String> LONG_BOOLEANS = Set.of("--debug", "--no-sync", "--insecure-discovery",
            "--help", "--version");
    private static final Set<String> VALUELESS_WITH_VERSION = Set.of("--debug", "--no-sync", "--insecure-discovery");

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
        if (wanted == null && onlyAsksForTheVersion(args)) {
            return; // the version needs no command's model (all of them took 1.2-1.4x a set's time)
        }
        if (wanted != null && COMMANDS.containsKey(wanted) && !wanted.equals("completion")) {
            add(root, wanted);
            return;
        }
        for (String name : COMMANDS.keySet()) {
            add(root, name);
        }
        root.addSubcommand("help", new CommandLine.HelpCommand(), "h");
    }

    private static void add(CommandLine root, String name) {
        root.addSubcommand(name, COMMANDS.get(name).get());
        if (GROUPS.contains(name)) {
            // urfave/cli gives a command made of subcommands its own help command too:
            // "member help list", "user h add".
            root.getSubcommands().get(name).addSubcommand("help", new CommandLine.HelpCommand(), "h");
        }
    }

    /**
     * {@code --version} (or {@code -v}) among nothing but flags that take no value: urfave/cli then
     * prints the version. Anything else (a flag with a value, which may be refused, an unknown flag,
     * {@code --help}, which wins over the version) may print the help, which lists every command.
     */
    private static boolean onlyAsksForTheVersion(String[] args) {
        boolean version = false;
        for (String a : args) {
            if (a.equals("--version") || a.equals("-v")) {
                version = true;
            } else if (!VALUELESS_WITH_VERSION.contains(a)) {
                return false;
            }
        }
        return version;
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

    /**
     * The command word as urfave/cli takes it: Go's flag package stops at {@code --} or at the first
     * word that is not a flag, and that word, whatever it looks like ({@code -x}, {@code get} after
     * {@code --}), names the command; a word that names none is "No help topic" (exit 3), even with
     * {@code --help} after it. Rewritten for picocli: a {@code --} before a command's name dropped,
     * and after a word that names no command, nothing but that word (behind a {@code --}).
     */
    static String[] goCommandWord(String[] args) {
        final int index = commandIndex(args);
        if (index < 0) {
            return args;
        }
        final boolean afterDashes = dashesEnd(args) == index;
        final boolean known = isCommand(args[index]);
        if (known && !afterDashes) {
            return args;
        }
        final List<String> out = new ArrayList<>(Arrays.asList(args).subList(0, afterDashes ? index - 1 : index));
        if (known) {
            out.addAll(Arrays.asList(args).subList(index, args.length));
        } else {
            out.addAll(List.of("--", args[index]));
        }
        return out.toArray(new String[0]);
    }

    /** The word in the command's place that names no command, or null. */
    static String unknownCommandWord(String[] args) {
        final int index = commandIndex(args);
        return index < 0 || isCommand(args[index]) ? null : args[index];
    }

    private static boolean isCommand(String word) {
        return COMMANDS.containsKey(word) || word.equals("help") || word.equals("h");
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

    /** The index after a {@code --} that ends the global options (not one given as a flag's value), or -1. */
    private static int dashesEnd(String[] args) {
        for (int i = 0; i < args.length; i++) {
            final String a = args[i];
            if (a.equals("--")) {
                return i + 1;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                return -1;
            }
            if (GLOBALS_WITH_VALUE.contains(a)) {
                i++;
            }
        }
        return -1;
    }
}
