package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.MembersClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Member subcommands: Go etcdctl checks their argument count itself and exits 1 with a message. */
abstract class MemberSubcommand implements Callable<Integer> {
    @ParentCommand
    MemberCommand parent;

    @Parameters(paramLabel = "<args>", arity = "0..*", hidden = true)
    List<String> args = new ArrayList<>();

    @Option(names = {"--help", "-h"}, usageHelp = true, description = "show help")
    boolean help;

    Session session;

    @Override
    public final Integer call() throws Exception {
        session = parent.root.session();
        return execute();
    }

    abstract int execute() throws Exception;

    /** Go's {@code mustNewMembersAPI}: a synced client, created before the arguments are looked at. */
    MembersClient members() {
        return new MembersClient(session.connect());
    }

    PrintStream out() {
        return session.io().out();
    }

    static CliExit fail(String stderrText) {
        return new CliExit(ExitCodes.BAD_ARGS, stderrText);
    }
}
