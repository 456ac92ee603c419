package io.v2store.etcdctl.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Builds the picocli command tree and maps its outcomes to etcdctl's messages and exit codes. */
public final class CommandLineFactory {
    /** Commands made of subcommands: an unknown word after them is "No help topic", exit 3. */
    static final Set<String> COMMAND_GROUPS = Set.of("member", "user", "role", "auth");
    /** A help or version flag with a value Go's strconv.ParseBool reads as false. */
    private static final Pattern FALSE_HELP_OR_VERSION = Pattern.compile("(--help|-h|--version|-v)=(0|f|F|false|FALSE|False)");
    /** picocli's words for a value our Go-style converters refused (see {@link GoValues}). */
    private static final Pattern BAD_VALUE =
            Pattern.compile("Invalid value for option '[^']*': invalid (boolean )?value (\".*\"): (.*)", Pattern.DOTALL);

    private CommandLineFactory() {
    }

    public static int execute(String[] givenArgs, Io io) {
        final String[] args = CommandRegistry.goCommandWord(emptyCommandWord(CommandRegistry.goGlobalFlags(givenArgs)));
        final String api = io.env("ETCDCTL_API");
        if (!api.isEmpty() && !api.equals("2")) {
            io.err().print("Error:  ETCDCTL_API=" + api + " is not supported: this etcdctl has only the v2 command set "
                    + "(unset ETCDCTL_API or set it to 2)\n");
            return ExitCodes.BAD_ARGS;
        }
        final RootCommand root = new RootCommand();
        root.attach(io);
        final CommandLine cl = new CommandLine(root);
        CommandRegistry.register(cl, args);
        GoValues.register(cl);
        // Go's flag package has neither clustered short flags (-rp) nor attached values (-ojson).
        cl.setPosixClusteredShortOptionsAllowed(false);
        // Go's flag package lets an option be given again, the last value winning (a wrapper's
        // defaults, then the caller's own): no usage error for it.
        cl.setOverwrittenOptionsAllowed(true);
        // Go's flag package gives a flag that takes a value the next word, whatever it looks like
        // ("--swap-with-value --ttl" compares with "--ttl").
        cl.setAllowOptionsAsOptionParameters(true);
        cl.setOut(new PrintWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(io.err(), StandardCharsets.UTF_8), true));
        final CommandLine execWatch = cl.getSubcommands().get("exec-watch");
        if (execWatch != null) {
            // Everything after the key belongs to the command to run, including "--" and its own options.
            execWatch.setStopAtPositional(true);
            execWatch.setEndOfOptionsDelimiter("--\u0000");
        }
        final String unknownCommand = CommandRegistry.unknownCommandWord(args);
        final GoFlagForms.Conflict conflict = GoFlagForms.find(cl, args);
        // Named classes, not lambdas, for picocli's interfaces: see GoValues.register.
        cl.setParameterExceptionHandler(new ParseErrors(conflict, args, unknownCommand));
        cl.setExecutionStrategy(new GoExecution(unknownCommand, conflict));
        cl.setExecutionExceptionHandler(new CliExitHandler(io));
        return cl.execute(withoutFalseHelpOrVersion(emptyBooleanValues(cl, goFlagOrder(cl, args))));
    }

    /** A usage error in Go's words, or a flag given by two names where Go reports that first. */
    private static final class ParseErrors implements CommandLine.IParameterExceptionHandler {
        private final GoFlagForms.Conflict conflict;
        private final String[] args;
        private final String unknownCommand;

        ParseErrors(GoFlagForms.Conflict conflict, String[] args, String unknownCommand) {
            this.conflict = conflict;
            this.args = args;
            this.unknownCommand = unknownCommand;
        }

        @Override
        public int handleParseException(ParameterException ex, String[] given) {
            return conflict != null && conflictFirst(conflict, ex.getCommandLine())
                    ? twoForms(conflict) : usageError(ex, args, unknownCommand);
        }
    }

    private static final class GoExecution implements CommandLine.IExecutionStrategy {
        private final String unknownCommand;
        private final GoFlagForms.Conflict conflict;

        GoExecution(String unknownCommand, GoFlagForms.Conflict conflict) {
            this.unknownCommand = unknownCommand;
            this.conflict = conflict;
        }

        @Override
        public int execute(CommandLine.ParseResult parsed) {
            return unknownFlagsEvenWithHelp(parsed, unknownCommand, conflict);
        }
    }

    /** A command's {@link CliExit}: its stderr and exit code. Anything else goes on up. */
    private static final class CliExitHandler implements CommandLine.IExecutionExceptionHandler {
        private final Io io;

        CliExitHandler(Io io) {
            this.io = io;
        }

        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed)
                throws Exception {
            if (ex instanceof CliExit exit) {
                io.err().print(exit.stderrText());
                return exit.exitCode();
            }
            throw ex;
        }
    }

    /**
     * {@code --help=false} (any level) and {@code --version=false} (the top level, where urfave/cli
     * defines it) set the flag to false in Go, so the command runs as if they were not there;
     * picocli shows the help or the version for any value. Dropped here, up to {@code --}: by now
     * every flag Go parses is before it, written {@code --name=value} (or {@code -v=value}).
     */
    private static String[] withoutFalseHelpOrVersion(String[] args) {
        final int command = CommandRegistry.commandIndex(args);
        final List<String> out = new ArrayList<>();
        boolean flags = true;
        for (int i = 0; i < args.length; i++) {
            final String a = args[i];
            flags &= !a.equals("--");
            final Matcher m = FALSE_HELP_OR_VERSION.matcher(a);
            final boolean global = command < 0 || i < command;
            if (flags && m.matches() && (global || m.group(1).equals("--help") || m.group(1).equals("-h"))) {
                continue;
            }
            out.add(a);
        }
        return out.toArray(new String[0]);
    }

    /**
     * picocli lets a request for the help or the version pass over an unknown flag ({@code --version
     * --bogus}, {@code set --help --bogus}); Go's flag package refuses it whatever else was given:
     * "Incorrect Usage", exit 1. Not a word in the command's place ({@code --help -- -x}), which is
     * no flag to Go.
     */
    private static int unknownFlagsEvenWithHelp(CommandLine.ParseResult parseResult, String unknownCommand,
            GoFlagForms.Conflict conflict) {
        for (CommandLine.ParseResult level = parseResult; level != null; level = level.subcommand()) {
            final List<String> flags = level.unmatched().stream()
                    .filter(a -> a.startsWith("-") && !a.equals("-") && !a.equals(unknownCommand)).toList();
            if (!flags.isEmpty()) {
                throw new UnmatchedArgumentException(level.commandSpec().commandLine(), flags);
            }
            if (conflict != null && conflict.level() == level.commandSpec().commandLine()) {
                return twoForms(conflict);
            }
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    /**
     * Whether Go reports a flag given by two names before a parse error at {@code failed}: when the
     * conflict is at a level above, or at the same level when that is an app (the root, a group),
     * which checks the flags it parsed before the error ({@link GoFlagForms#leadingFlags}).
     */
    private static boolean conflictFirst(GoFlagForms.Conflict conflict, CommandLine failed) {
        final int depth = depth(conflict.level());
        return depth < depth(failed) || depth == depth(failed) && isApp(conflict.level());
    }

    /** urfave/cli runs the root and a group of commands ({@code member}) as apps, the rest as commands. */
    private static boolean isApp(CommandLine cmd) {
        final int depth = depth(cmd);
        return depth == 0 || depth == 1 && COMMAND_GROUPS.contains(cmd.getCommandName());
    }

    private static int depth(CommandLine command) {
        int depth = 0;
        for (CommandLine c = command.getParent(); c != null; c = c.getParent()) {
            depth++;
        }
        return depth;
    }

    /**
     * A flag given by two of its names ({@link GoFlagForms}), worded as urfave/cli words it at that
     * level: the app prints the error and its help, a group of commands the error, a blank line and
     * its help, a command "Incorrect Usage: " as for any usage error; the bare error on stderr, exit 1.
     */
    private static int twoForms(GoFlagForms.Conflict conflict) {
        final CommandLine cmd = conflict.level();
        if (!isApp(cmd)) {
            return incorrectUsage(cmd, conflict.message());
        }
        final PrintWriter out = cmd.getOut();
        out.print(conflict.message() + (depth(cmd) == 0 ? "\n" : "\n\n"));
        cmd.usage(out);
        out.flush();
        final PrintWriter err = cmd.getErr();
        err.print(conflict.message() + "\n");
        err.flush();
        return ExitCodes.BAD_ARGS;
    }

    /**
     * urfave/cli finds no command named "" and shows the help of the command it is in (the
     * app's, a group's; after {@code help}, that same help), exit 0, whatever follows: the words
     * from the empty one on are dropped, and a {@code help} right before it.
     */
    private static String[] emptyCommandWord(String[] args) {
        final int index = CommandRegistry.commandIndex(args);
        if (index < 0) {
            return args;
        }
        int end = -1;
        for (int i = index; i < args.length && i <= index + 2; i++) {
            if (args[i].isEmpty()) {
                end = i;
                break;
            }
            final boolean group = i == index && COMMAND_GROUPS.contains(args[i]);
            final boolean help = args[i].equals("help") || args[i].equals("h");
            if (!group && !help) {
                break;
            }
        }
        if (end < 0) {
            return args;
        }
        if (end > index && (args[end - 1].equals("help") || args[end - 1].equals("h"))) {
            end--;
        }
        if (end == index && end > 0 && args[end - 1].equals("--")) {
            end--;
        }
        return Arrays.copyOfRange(args, 0, end);
    }

    /**
     * A boolean flag given an empty value ({@code --sort=}), which picocli takes for the flag
     * alone, gets {@link GoValues#EMPTY_BOOLEAN} instead, which Go's words refuse: "invalid boolean
     * value \"\" for -sort". Flags up to the first {@code --}, those of the root command and of
     * the command (and group subcommand) named.
     */
    private static String[] emptyBooleanValues(CommandLine cl, String[] args) {
        final List<CommandLine> commands = new ArrayList<>(List.of(cl));
        final int index = CommandRegistry.commandIndex(args);
        final CommandLine sub = index < 0 ? null : cl.getSubcommands().get(args[index]);
        if (sub != null) {
            commands.add(sub);
            final CommandLine leaf = index + 1 < args.length ? sub.getSubcommands().get(args[index + 1]) : null;
            if (leaf != null) {
                commands.add(leaf);
            }
        }
        final String[] out = args.clone();
        for (int i = 0; i < out.length && !out[i].equals("--"); i++) {
            if (!out[i].startsWith("-") || !out[i].endsWith("=") || out[i].indexOf('=') != out[i].length() - 1) {
                continue;
            }
            final String name = "--" + out[i].substring(0, out[i].length() - 1).replaceFirst("^-+", "");
            final String shortName = name.substring(1);
            for (CommandLine command : commands) {
                OptionSpec option = command.getCommandSpec().findOption(name);
                if (option == null) {
                    option = command.getCommandSpec().findOption(shortName);
                }
                if (option != null && option.typeInfo().isBoolean()) {
                    out[i] = out[i] + GoValues.EMPTY_BOOLEAN;
                    break;
                }
            }
        }
        return out;
    }

    /**
     * A key command's, cluster-health's or a group's subcommand's ({@code user revoke}) own
     * arguments in the order Go etcdctl parses them (see {@link GoFlagOrder}).
     */
    private static String[] goFlagOrder(CommandLine cl, String[] args) {
        final int index = CommandRegistry.commandIndex(args);
        final CommandLine sub = index < 0 ? null : cl.getSubcommands().get(args[index]);
        if (sub == null) {
            return args;
        }
        final CommandLine leaf = index + 1 < args.length ? sub.getSubcommands().get(args[index + 1]) : null;
        if (leaf != null && !leaf.getCommandSpec().helpCommand()) {
            final List<String> out = new ArrayList<>(Arrays.asList(args).subList(0, index + 2));
            out.addAll(GoFlagOrder.rewrite(Arrays.asList(args).subList(index + 2, args.length), leaf.getCommandSpec()));
            return out.toArray(new String[0]);
        }
        if (!GoFlagOrder.appliesTo(sub)) {
            return oneDashFlags(sub, args, index + 1, sub.getCommand() instanceof ExecWatchCommand);
        }
        final List<String> out = new ArrayList<>(Arrays.asList(args).subList(0, index + 1));
        out.addAll(GoFlagOrder.rewrite(Arrays.asList(args).subList(index + 1, args.length), sub.getCommandSpec()));
        return out.toArray(new String[0]);
    }

    /**
     * A command's own long flags given with one dash ({@code role grant r -path /x -read}, as etcd's
     * v2 authentication guide writes them), which Go's flag package reads as with two, written with
     * two for picocli: after the command word (and a group's subcommand word), up to {@code --}, or
     * up to the first other word when the command's options must precede its arguments.
     */
    private static String[] oneDashFlags(CommandLine command, String[] args, int from, boolean untilArgument) {
        CommandLine leaf = command;
        int i = from;
        if (i < args.length && command.getSubcommands().containsKey(args[i])) {
            leaf = command.getSubcommands().get(args[i]);
            i++;
        }
        final String[] out = args.clone();
        for (; i < out.length; i++) {
            final String a = out[i];
            if (a.equals("--") || untilArgument && (!a.startsWith("-") || a.equals("-"))) {
                break;
            }
            if (!a.startsWith("-") || a.startsWith("--") || a.length() < 3) {
                continue;
            }
            final String name = "-" + a.replaceFirst("=.*$", "");
            final CommandLine.Model.OptionSpec option = leaf.getCommandSpec().findOption(name);
            if (option == null || !option.longestName().equals(name) && !java.util.Arrays.asList(option.names()).contains(name)) {
                continue;
            }
            out[i] = "-" + a;
            if (!a.contains("=") && option.arity().min() > 0) {
                i++;
            }
        }
        return out;
    }

    /** {@code args}: the words as given (before {@link GoFlagOrder} writes flags by their longest names). */
    private static int usageError(ParameterException ex, String[] args, String unknownCommand) {
        final CommandLine cmd = ex.getCommandLine();
        final PrintWriter err = cmd.getErr();
        final boolean top = cmd.getParent() == null;
        if (ex.getMessage() != null && ex.getMessage().startsWith("Unknown subcommand '") && ex.getValue() != null) {
            // picocli's help command, asked about a command that does not exist: as urfave/cli.
            err.print("No help topic for '" + ex.getValue() + "'\n");
            err.flush();
            return ExitCodes.UNKNOWN_COMMAND;
        }
        if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            final String arg = unmatched.getUnmatched().get(0);
            if (!arg.startsWith("-") && (top || COMMAND_GROUPS.contains(cmd.getCommandName()))
                    || top && arg.equals(unknownCommand)) {
                err.print("No help topic for '" + arg + "'\n");
                err.flush();
                return ExitCodes.UNKNOWN_COMMAND;
            }
            if (arg.startsWith("-")) {
                final String flag = "-" + arg.replaceFirst("^-+", "").replaceFirst("=.*$", "");
                return incorrectUsage(cmd, "flag provided but not defined: " + flag);
            }
        }
        return incorrectUsage(cmd, goFlagError(ex, args));
    }

    /**
     * Go's flag package's words for a flag without its value or with one it cannot parse, naming the
     * flag as it was typed: "flag needs an argument: -o", "invalid value \"x\" for flag -ttl: parse
     * error", "invalid boolean value \"x\" for -r: parse error". Other errors as picocli words them.
     */
    private static String goFlagError(ParameterException ex, String[] given) {
        final String message = String.valueOf(ex.getMessage());
        final CommandLine.Model.ArgSpec spec = ex instanceof MissingParameterException missing
                && missing.getMissing().size() == 1 ? missing.getMissing().get(0) : ex.getArgSpec();
        if (!(spec instanceof OptionSpec option)) {
            return message;
        }
        final Matcher bad = BAD_VALUE.matcher(message);
        if (bad.matches()) {
            final String value = GoValues.EMPTY_BOOLEAN.equals(ex.getValue()) ? "" : ex.getValue();
            final String flag = typedName(option, given, value);
            return bad.group(1) != null
                    ? "invalid boolean value " + bad.group(2) + " for " + flag + ": " + bad.group(3)
                    : "invalid value " + bad.group(2) + " for flag " + flag + ": " + bad.group(3);
        }
        if (ex instanceof MissingParameterException) {
            return "flag needs an argument: " + typedName(option, given, null);
        }
        return message;
    }

    /**
     * The option's name as given ({@code -r} for {@code --recursive}), with one dash: the first word
     * naming it with {@code value} as its value, or the last word naming it when {@code value} is null.
     */
    private static String typedName(OptionSpec option, String[] given, String value) {
        final Set<String> names = new java.util.HashSet<>();
        for (String name : option.names()) {
            names.add(name.replaceFirst("^-+", ""));
        }
        String found = null;
        for (int i = 0; i < given.length; i++) {
            final String word = given[i];
            if (!word.startsWith("-")) {
                continue;
            }
            final int eq = word.indexOf('=');
            final String name = (eq < 0 ? word : word.substring(0, eq)).replaceFirst("^-+", "");
            if (!names.contains(name)) {
                continue;
            }
            final String itsValue = eq >= 0 ? word.substring(eq + 1) : i + 1 < given.length ? given[i + 1] : null;
            if (value == null) {
                found = name;
            } else if (value.equals(itsValue)) {
                return "-" + name;
            }
        }
        return "-" + (found != null ? found : option.longestName().replaceFirst("^-+", ""));
    }

    /**
     * As urfave/cli prints a usage error: "Incorrect Usage" (". " after it at the top level and for
     * a group of commands such as {@code member}, which urfave/cli runs as an app of its own; ": "
     * for a command), the error and the command's help on stdout, then Go's flag package's own
     * line, the bare error, on stderr; exit 1.
     */
    private static int incorrectUsage(CommandLine cmd, String error) {
        final PrintWriter out = cmd.getOut();
        out.print("Incorrect Usage" + (isApp(cmd) ? ". " : ": ") + error + "\n\n");
        cmd.usage(out);
        out.flush();
        final PrintWriter err = cmd.getErr();
        err.print(error + "\n");
        err.flush();
        return ExitCodes.BAD_ARGS;
    }
}
