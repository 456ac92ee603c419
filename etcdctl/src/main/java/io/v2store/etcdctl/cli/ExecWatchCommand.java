package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.HttpTransport;
import io.v2store.etcdctl.client.KeyResponse;
import io.v2store.etcdctl.client.KeysClient;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "exec-watch", description = {"watch a key for changes and exec an executable", "",
        "Forms: exec-watch [options] <key> -- <command> [args...]   (documented)",
        "       exec-watch [options] <command> [args...] <key>      (legacy: the key is the last argument)",
        "Each event runs the command with ETCD_WATCH_ACTION, ETCD_WATCH_MODIFIED_INDEX, ETCD_WATCH_KEY and",
        "ETCD_WATCH_VALUE set. Options must precede the key."},
        customSynopsis = "etcdctl exec-watch [command options] <key> -- <command> [args...]")
final class ExecWatchCommand extends KeyCommand {
    private static final Pattern JDK_ERRNO = Pattern.compile("error=(\\d+), (.*)$");

    @Option(names = "--after-index", paramLabel = "value", description = "watch after the given index (default: 0)")
    long afterIndex;

    @Option(names = {"--recursive", "-r"}, description = "watch all values for key and child keys")
    boolean recursive;

    /** Key and command, split by the documented rule or the legacy one. */
    record Invocation(String key, List<String> command) {
        static Invocation of(List<String> args) {
            if (args.size() < 2) {
                throw CliExit.error(ExitCodes.BAD_ARGS, "key and command to exec required");
            }
            final int separator = args.indexOf("--");
            if (separator == 1 && args.size() > 2) {
                return new Invocation(args.get(0), List.copyOf(args.subList(2, args.size())));
            }
            if (separator > 1) {
                return new Invocation(args.get(0), List.copyOf(args.subList(separator + 1, args.size())));
            }
            return new Invocation(args.get(args.size() - 1), List.copyOf(args.subList(0, args.size() - 1)));
        }
    }

    @Override
    int execute() throws Exception {
        final HttpTransport transport = session.connect();
        transport.clearDeadline();
        final Invocation invocation = Invocation.of(args);
        Interrupts.exitZeroOnInterrupt(session.io());
        final WatchLoop loop = new WatchLoop(new KeysClient(transport), invocation.key(), recursive, afterIndex, true);
        while (true) {
            final KeyResponse resp;
            try {
                resp = loop.next();
            } catch (Exception e) {
                throw serverError(e);
            }
            if (resp.node().dir()) {
                session.io().err().print("Ignored dir " + resp.node().key() + " change\n");
                session.io().flush();
                continue;
            }
            start(invocation.command(), resp);
        }
    }

    /**
     * Starts the command without waiting for it, as the reference does: with etcdctl's stdout and
     * stderr, and /dev/null for stdin (Go's exec.Cmd without a Stdin), so that it never reads what
     * is meant for etcdctl or waits on the terminal.
     */
    private void start(List<String> command, KeyResponse resp) {
        final ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        final Map<String, String> env = builder.environment();
        LocaleRestore.apply(env);
        // Go's etcdctl unsets ETCDCTL_API as it starts, so its commands never see it.
        env.remove("ETCDCTL_API");
        env.put("ETCD_WATCH_ACTION", resp.action());
        env.put("ETCD_WATCH_MODIFIED_INDEX", Long.toString(resp.node().modifiedIndex()));
        env.put("ETCD_WATCH_KEY", resp.node().key());
        env.put("ETCD_WATCH_VALUE", resp.node().value());
        try {
            builder.start();
        } catch (IOException e) {
            session.io().err().print(goStartError(command.get(0), e.getMessage()));
            session.io().flush();
            throw new CliExit(ExitCodes.BAD_ARGS, "");
        }
    }

    /**
     * Go's words for a command that cannot be started, from the JDK's ({@code Cannot run program
     * "x": error=2, No such file or directory}): a name without a slash is looked up in $PATH
     * first, and one that is not there (or not executable) is "executable file not found in
     * $PATH"; otherwise the exec failed: {@code fork/exec <path>: <errno text>}.
     */
    static String goStartError(String program, String jdkMessage) {
        final String text = jdkMessage == null ? "" : jdkMessage;
        final Matcher m = JDK_ERRNO.matcher(text);
        if (!m.find()) {
            return text;
        }
        final int errno = Integer.parseInt(m.group(1));
        if (!program.contains("/") && (errno == 2 || errno == 13)) {
            return "exec: \"" + program + "\": executable file not found in $PATH";
        }
        final String reason = m.group(2);
        return "fork/exec " + program + ": "
                + (reason.isEmpty() ? reason : Character.toLowerCase(reason.charAt(0)) + reason.substring(1));
    }
}
