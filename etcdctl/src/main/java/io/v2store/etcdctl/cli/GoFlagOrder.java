package io.v2store.etcdctl.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Which of a key command's arguments Go etcdctl takes for flags, and which for its arguments.
 * urfave/cli 1.22 first moves the command's own flags (with the word after each, unless that is a
 * flag too) before the other words, up to a {@code --}, which goes first among the others; Go's
 * flag package then parses flags up to the first word that is not one. So a word after the key
 * that starts with {@code -} but is no flag of the command (a value {@code -Xmx512m}, a stray
 * {@code --force}) is an argument, not a usage error. The result is the same arguments for
 * picocli: the flags Go parses, written {@code --name=value}, then {@code --} and the rest.
 */
final class GoFlagOrder {
    private GoFlagOrder() {
    }

    /** Whether Go etcdctl reorders the command's words: key commands and cluster-health, not exec-watch. */
    static boolean appliesTo(CommandLine command) {
        final Object c = command.getCommand();
        return (c instanceof KeyCommand || c instanceof ClusterHealthCommand) && !(c instanceof ExecWatchCommand);
    }

    static List<String> rewrite(List<String> args, CommandSpec spec) {
        final Map<String, OptionSpec> flags = flagsByName(spec);
        final List<String> ordered = reorder(args, flags);
        final List<String> out = new ArrayList<>();
        int i = 0;
        while (i < ordered.size()) {
            final String arg = ordered.get(i);
            if (arg.length() < 2 || arg.charAt(0) != '-') {
                break;
            }
            if (arg.equals("--")) {
                i++;
                break;
            }
            final String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
            final int eq = body.indexOf('=');
            final OptionSpec option = flags.get(eq < 0 ? body : body.substring(0, eq));
            if (option == null || body.isEmpty() || body.startsWith("-") || body.startsWith("=")) {
                // Not a flag Go knows: picocli reports it as Go would, a usage error.
                out.addAll(ordered.subList(i, ordered.size()));
                return out;
            }
            if (eq >= 0) {
                out.add(option.longestName() + body.substring(eq));
                i++;
            } else if (option.typeInfo().isBoolean()) {
                out.add(option.longestName());
                i++;
            } else if (i + 1 < ordered.size()) {
                out.add(option.longestName() + "=" + ordered.get(i + 1));
                i += 2;
            } else {
                out.add(arg);
                i++;
            }
        }
        if (i < ordered.size()) {
            out.add("--");
            out.addAll(ordered.subList(i, ordered.size()));
        }
        return out;
    }

    /** urfave/cli 1.22's {@code reorderArgs} for the command {@code spec} describes. */
    static List<String> reorder(List<String> args, CommandSpec spec) {
        return reorder(args, flagsByName(spec));
    }

    private static Map<String, OptionSpec> flagsByName(CommandSpec spec) {
        final Map<String, OptionSpec> flags = new HashMap<>();
        for (OptionSpec option : spec.options()) {
            for (String name : option.names()) {
                flags.put(name.replaceFirst("^-+", ""), option);
            }
        }
        return flags;
    }

    /** urfave/cli 1.22's {@code reorderArgs}. */
    private static List<String> reorder(List<String> args, Map<String, OptionSpec> flags) {
        final List<String> reordered = new ArrayList<>();
        List<String> remaining = new ArrayList<>();
        boolean nextMayBeValue = false;
        for (int i = 0; i < args.size(); i++) {
            final String arg = args.get(i);
            if (nextMayBeValue && !isFlag(arg, flags)) {
                nextMayBeValue = false;
                reordered.add(arg);
            } else if (arg.equals("--")) {
                final List<String> rest = new ArrayList<>();
                rest.add("--");
                rest.addAll(remaining);
                rest.addAll(args.subList(i + 1, args.size()));
                remaining = rest;
                break;
            } else if (isFlag(arg, flags)) {
                reordered.add(arg);
                nextMayBeValue = !arg.contains("=");
            } else {
                remaining.add(arg);
            }
        }
        reordered.addAll(remaining);
        return reordered;
    }

    /** urfave/cli's {@code argIsFlag}. */
    private static boolean isFlag(String arg, Map<String, OptionSpec> flags) {
        if (arg.equals("-") || arg.equals("--") || !arg.startsWith("-")) {
            return false;
        }
        String name = arg;
        if (name.startsWith("--")) {
            name = name.replaceFirst("-", "").replaceFirst("-", "");
        }
        if (name.startsWith("-")) {
            name = name.replaceFirst("-", "");
        }
        name = name.split("=", -1)[0];
        return flags.containsKey(name);
    }
}
