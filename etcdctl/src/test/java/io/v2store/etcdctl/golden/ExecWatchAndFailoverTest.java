package io.v2store.etcdctl.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.v2store.testkit.LoopbackPorts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** exec-watch against the reference's behaviour, and failover across endpoints with a dead one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecWatchAndFailoverTest {
    private static final long LINE_DEADLINE_MILLIS = 20_000;
    private static final String PRINT_ENV =
            "echo \"$ETCD_WATCH_ACTION|$ETCD_WATCH_KEY|$ETCD_WATCH_VALUE|$ETCD_WATCH_MODIFIED_INDEX\"";
    private RealEtcd etcd;

    @BeforeAll
    void startEtcd() throws Exception {
        ReferenceBinaries.require();
        etcd = new RealEtcd().start();
    }

    @AfterAll
    void stopEtcd() throws Exception {
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void execWatchRunsTheCommandWithTheEventInItsEnvironmentLikeTheReference() throws Exception {
        final long start = EtcdHttp.put(etcd.clientUrl(), "/g/x", "before");
        final long set = EtcdHttp.put(etcd.clientUrl(), "/g/x", "hello world");
        // "--recursive" right before the key: the one spelling the reference parses by the documented rule.
        final List<String> documented = List.of("--endpoints", etcd.clientUrl(), "exec-watch", "--after-index",
                Long.toString(start), "--recursive", "/g/x", "--", "sh", "-c", PRINT_ENV);
        final String expected = "set|/g/x|hello world|" + set;
        assertEquals(expected, firstLine(ProcessInvoker.reference(), documented));
        assertEquals(expected, firstLine(ProcessInvoker.oursInJvm(), documented));

        final List<String> oursDocumented = List.of("--endpoints", etcd.clientUrl(), "exec-watch", "--after-index",
                Long.toString(start), "/g/x", "--", "sh", "-c", PRINT_ENV);
        assertEquals(expected, firstLine(ProcessInvoker.oursInJvm(), oursDocumented));

        final List<String> legacy = List.of("--endpoints", etcd.clientUrl(), "exec-watch", "--after-index",
                Long.toString(start), "sh", "-c", PRINT_ENV, "/g/x");
        assertEquals(expected, firstLine(ProcessInvoker.reference(), legacy));
        assertEquals(expected, firstLine(ProcessInvoker.oursInJvm(), legacy));
    }

    /**
     * The command reads nothing of etcdctl's own stdin (Go's exec.Cmd gives it /dev/null): a
     * command that reads its stdin (ssh, a shell's read) would otherwise take the terminal's input
     * or wait on it, and each run would eat what a pipe into etcdctl holds.
     */
    @Test
    void execWatchGivesTheCommandDevNullForStdinLikeTheReference() throws Exception {
        final long start = EtcdHttp.put(etcd.clientUrl(), "/g/in", "before");
        EtcdHttp.put(etcd.clientUrl(), "/g/in", "after");
        final List<String> args = List.of("--endpoints", etcd.clientUrl(), "exec-watch", "--after-index",
                Long.toString(start), "--recursive", "/g/in", "--", "sh", "-c", "readlink /proc/$$/fd/0");
        assertEquals("/dev/null", firstLine(ProcessInvoker.reference(), args));
        assertEquals("/dev/null", firstLine(ProcessInvoker.oursInJvm(), args));
    }

    /**
     * Go's etcdctl unsets ETCDCTL_API when it starts, so a command run by exec-watch that calls
     * etcdctl itself gets that etcdctl's default API (v3 for Debian's), not the v2 one.
     */
    @Test
    void execWatchCommandsDoNotSeeEtcdctlApiLikeTheReference() throws Exception {
        final long start = EtcdHttp.put(etcd.clientUrl(), "/g/api", "before");
        EtcdHttp.put(etcd.clientUrl(), "/g/api", "after");
        final List<String> args = List.of("--endpoints", etcd.clientUrl(), "exec-watch", "--after-index",
                Long.toString(start), "--recursive", "/g/api", "--", "sh", "-c",
                "echo \"api=${ETCDCTL_API-unset}\"");
        assertEquals("api=unset", firstLine(ProcessInvoker.reference(), args));
        assertEquals("api=unset", firstLine(ProcessInvoker.oursInJvm(), args));
    }

    /** A command that cannot be started ends exec-watch with exit 1 and Go's words for why. */
    @Test
    void execWatchSaysWhyACommandCannotStartLikeTheReference() throws Exception {
        for (String command : List.of("/nonexistent/cmd", "no-such-command-here", "/etc/passwd")) {
            final long start = EtcdHttp.put(etcd.clientUrl(), "/g/nostart", "before");
            EtcdHttp.put(etcd.clientUrl(), "/g/nostart", "after");
            final List<String> args = List.of("--endpoints", etcd.clientUrl(), "exec-watch", "--after-index",
                    Long.toString(start), "--recursive", "/g/nostart", "--", command);
            assertEquals(endOf(ProcessInvoker.reference(), args), endOf(ProcessInvoker.oursInJvm(), args), command);
        }
    }

    private static String endOf(ProcessInvoker invoker, List<String> args) throws Exception {
        try (RunningCommand cmd = new RunningCommand(invoker, args)) {
            final Integer code = cmd.awaitExit(LINE_DEADLINE_MILLIS);
            return "exit " + code + ", stderr: " + cmd.stderr();
        }
    }

    private static String firstLine(ProcessInvoker invoker, List<String> args) throws Exception {
        try (RunningCommand cmd = new RunningCommand(invoker, args)) {
            final String line = cmd.nextLine(LINE_DEADLINE_MILLIS);
            return line == null ? "<nothing; stderr: " + cmd.stderr() + ">" : line;
        }
    }

    @Test
    void aDeadEndpointIsSkippedWithAndWithoutSync() throws Exception {
        final String dead = "http://127.0.0.1:" + LoopbackPorts.next();
        EtcdHttp.put(etcd.clientUrl(), "/g/f", "alive");
        final List<String> outcomes = new ArrayList<>();
        for (String endpoints : List.of(dead + "," + etcd.clientUrl(), etcd.clientUrl() + "," + dead)) {
            for (boolean noSync : new boolean[] {true, false}) {
                final List<String> args = new ArrayList<>(List.of("--endpoints", endpoints));
                if (noSync) {
                    args.add("--no-sync");
                }
                args.addAll(List.of("get", "/g/f"));
                final EtcdctlInvoker.Result ours = new InProcessInvoker().run(args, "");
                final EtcdctlInvoker.Result reference = ProcessInvoker.reference().run(args, "");
                assertEquals(reference, ours, String.join(" ", args));
                outcomes.add(ours.stdout());
            }
        }
        assertEquals(List.of("alive\n", "alive\n", "alive\n", "alive\n"), outcomes);
    }

    @Test
    void everyCommandHasHelp() throws Exception {
        for (String command : List.of("get", "set", "mk", "mkdir", "rm", "rmdir", "ls", "setdir", "update",
                "updatedir", "watch", "exec-watch", "member", "cluster-health", "backup", "completion")) {
            final EtcdctlInvoker.Result r = new InProcessInvoker().run(List.of(command, "--help"), "");
            assertEquals(0, r.exitCode(), command);
            assertEquals(true, r.stdout().contains("etcdctl " + command), command + ":\n" + r.stdout());
        }
        for (String sub : List.of("list", "add", "remove", "update")) {
            final EtcdctlInvoker.Result r = new InProcessInvoker().run(List.of("member", sub, "--help"), "");
            assertEquals(0, r.exitCode(), sub);
            assertEquals(true, r.stdout().contains("etcdctl member " + sub), sub + ":\n" + r.stdout());
        }
    }

    @Test
    void everyCommandGroupHasAHelpCommand() throws Exception {
        // urfave/cli gives each command made of subcommands a "help" (alias "h") of its own:
        // Debian's etcdctl prints the subcommand's help and exits 0, and an unknown topic is exit 3.
        for (List<String> args : List.of(List.of("member", "help", "list"), List.of("member", "h", "add"),
                List.of("user", "help", "add"), List.of("role", "h", "grant"), List.of("auth", "help", "enable"))) {
            final EtcdctlInvoker.Result r = new InProcessInvoker().run(args, "");
            assertEquals(0, r.exitCode(), args.toString());
            final String usage = "etcdctl " + args.get(0) + " " + args.get(2);
            assertEquals(true, r.stdout().contains(usage), args + ":\n" + r.stdout());
        }
        for (String group : List.of("member", "user", "role", "auth")) {
            final EtcdctlInvoker.Result alone = new InProcessInvoker().run(List.of(group, "help"), "");
            assertEquals(0, alone.exitCode(), group);
            assertEquals(true, alone.stdout().contains("etcdctl " + group), group + ":\n" + alone.stdout());
            final List<String> unknown = List.of(group, "help", "bogus");
            assertEquals(new EtcdctlInvoker.Result("", "No help topic for 'bogus'\n", 3), ProcessInvoker.reference()
                    .run(unknown, ""), "the reference");
            assertEquals(new EtcdctlInvoker.Result("", "No help topic for 'bogus'\n", 3),
                    new InProcessInvoker().run(unknown, ""));
        }
    }
}
