package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.HttpTransport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The user, role and auth subcommands. Go etcdctl checks their arguments itself and, for any failure
 * (a wrong argument count, a refusal, a dead cluster), prints the bare message and exits 1.
 */
abstract class AuthSubcommand implements Callable<Integer> {
    @ParentCommand
    AuthGroupCommand group;

    @Parameters(paramLabel = "<args>", arity = "0..*", hidden = true)
    List<String> args = new ArrayList<>();

    @Option(names = {"--help", "-h"}, usageHelp = true, description = "show help")
    boolean help;

    Session session;

    @Override
    public final Integer call() throws Exception {
        session = group.root.session();
        return execute();
    }

    abstract int execute() throws Exception;

    /**
     * Go's {@code mustNewAuth*API}: a synced client, and a second "Cluster-Endpoints" debug line
     * (one from creating the client, one from the API constructor).
     */
    HttpTransport connect() {
        final HttpTransport transport = session.connect();
        if (session.debug()) {
            session.io().err().print("Cluster-Endpoints: " + String.join(", ", transport.endpoints()) + "\n");
        }
        return transport;
    }

    /** The one argument of a user or role command ({@code what}: "username" or "role name"). */
    String nameArg(String what) {
        if (args.size() != 1) {
            throw fail("Please provide a " + what);
        }
        return args.get(0);
    }

    void noArgs() {
        if (!args.isEmpty()) {
            throw fail("No arguments accepted");
        }
    }

    PrintStream out() {
        return session.io().out();
    }

    static CliExit fail(String message) {
        return new CliExit(ExitCodes.BAD_ARGS, message + "\n");
    }

    static CliExit fail(Exception e) {
        return fail(e.getMessage());
    }
}
