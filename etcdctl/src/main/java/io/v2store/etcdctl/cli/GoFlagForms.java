package io.v2store.etcdctl.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * urfave/cli's {@code normalizeFlags}: a flag given by two of its names at one level ({@code ls -r
 * --recursive}, {@code -o json --output simple}, {@code member --help -h}) is refused with "Cannot
 * use two forms of the same flag: r recursive" (the later name in the flag's own order, then the
 * earlier), once that level's flags have parsed without error and before its help is shown. The
 * same name twice is no conflict: the last value wins. Levels are Go's: the app's flags before the
 * command word, a group's ({@code member}) before its subcommand's word, then the command's own.
 */
final class GoFlagForms {
    /** The level whose flags conflict (the root, a group, a command) and Go's words for it. */
    record Conflict(CommandLine level, String message) {
    }

    private GoFlagForms() {
    }

    /** The first conflict at the levels Go parses {@code args} at, or null. */
    static Conflict find(CommandLine root, String[] args) {
        final List<String> words = Arrays.asList(args);
        final Conflict top = at(root, leadingFlags(words, root.getCommandSpec(), true));
        final int index = CommandRegistry.commandIndex(args);
        if (top != null || index < 0) {
            return top;
        }
        final CommandLine command = root.getSubcommands().get(args[index]);
        if (command == null) {
            return null;
        }
        final List<String> after = words.subList(index + 1, words.size());
        if (!CommandLineFactory.COMMAND_GROUPS.contains(args[index])) {
            final List<String> own = GoFlagOrder.appliesTo(command) ? GoFlagOrder.reorder(after, command.getCommandSpec()) : after;
            return at(command, leadingFlags(own, command.getCommandSpec(), false));
        }
        final List<String> groupFlags = leadingFlags(after, command.getCommandSpec(), true);
        final Conflict group = at(command, groupFlags);
        if (group != null || after.isEmpty()) {
            return group;
        }
        final CommandLine leaf = command.getSubcommands().get(after.get(0));
        if (leaf == null || leaf.getCommandSpec().helpCommand()) {
            return null;
        }
        final List<String> leafWords = after.subList(1, after.size());
        return at(leaf, leadingFlags(GoFlagOrder.reorder(leafWords, leaf.getCommandSpec()), leaf.getCommandSpec(), false));
    }

    private static Conflict at(CommandLine level, List<String> flags) {
        final String message = flags == null ? null : conflict(flags, level.getCommandSpec());
        return message == null ? null : new Conflict(level, message);
    }

    /**
     * The flags Go's flag package parses from the start of {@code words}, as typed: up to {@code --}
     * or the first word that is no flag, a flag's value (the next word, whatever it is) skipped.
     * At a flag that names none of the command's, or whose value it cannot parse, Go's flag package
     * stops with an error: an app (the root, a group) still checks the flags before it, and reports
     * a conflict among them first ({@code app}: those flags); a command reports the error
     * ({@code !app}: null).
     */
    static List<String> leadingFlags(List<String> words, CommandSpec spec, boolean app) {
        final List<String> flags = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            final String word = words.get(i);
            if (word.equals("--") || !word.startsWith("-") || word.equals("-")) {
                break;
            }
            final OptionSpec option = option(spec, name(word));
            final int eq = word.indexOf('=');
            final boolean takesNext = eq < 0 && option != null && !option.typeInfo().isBoolean() && option.arity().min() > 0;
            final String value = eq >= 0 ? word.substring(eq + 1) : takesNext && i + 1 < words.size() ? words.get(i + 1) : null;
            if (option == null || !parses(option, value)) {
                return app ? flags : null;
            }
            flags.add(word);
            if (takesNext) {
                i++;
            }
        }
        return flags;
    }

    /** Whether Go's flag package takes {@code value} (null: none given) for the option. */
    private static boolean parses(OptionSpec option, String value) {
        if (value == null) {
            return option.typeInfo().isBoolean();
        }
        try {
            if (option.converters().length > 0) {
                option.converters()[0].convert(value);
            } else if (option.typeInfo().isBoolean()) {
                GoValues.parseBool(value);
            } else if (option.type() == long.class || option.type() == Long.class) {
                GoValues.parseInt(value);
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Go's message for the first flag, in the command's order, given by two names; or null. */
    static String conflict(List<String> flagWords, CommandSpec spec) {
        final Set<String> typed = new HashSet<>();
        for (String word : flagWords) {
            typed.add(name(word));
        }
        for (OptionSpec option : inGoOrder(spec)) {
            String first = null;
            for (String declared : option.names()) {
                final String name = declared.replaceFirst("^-+", "");
                if (!typed.contains(name)) {
                    continue;
                }
                if (first != null) {
                    return "Cannot use two forms of the same flag: " + name + " " + first;
                }
                first = name;
            }
        }
        return null;
    }

    /** urfave/cli appends the help flag (and the app's version flag) after a command's own. */
    private static List<OptionSpec> inGoOrder(CommandSpec spec) {
        final List<OptionSpec> options = new ArrayList<>(spec.options());
        options.sort(Comparator.comparingInt(o -> o.usageHelp() ? 1 : o.versionHelp() ? 2 : 0));
        return options;
    }

    private static String name(String word) {
        final String body = word.replaceFirst("^--?", "");
        final int eq = body.indexOf('=');
        return eq < 0 ? body : body.substring(0, eq);
    }

    private static OptionSpec option(CommandSpec spec, String name) {
        final OptionSpec option = spec.findOption("--" + name);
        return option != null ? option : spec.findOption("-" + name);
    }
}
