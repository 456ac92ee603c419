package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.KeyResponse;
import io.v2store.etcdctl.output.ResponsePrinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * What the key commands share: positional arguments checked by hand (Go etcdctl ignores extras and
 * reports missing ones with its own messages, after the client has been created and synced).
 */
abstract class KeyCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(paramLabel = "<args>", arity = "0..*", hidden = true)
    List<String> args = new ArrayList<>();

    @Option(names = {"--help", "-h"}, usageHelp = true, description = "show help")
    boolean help;

    Session session;

    @Override
    public final Integer call() throws Exception {
        session = root.session();
        return execute();
    }

    abstract int execute() throws Exception;

    String keyArg() {
        if (args.isEmpty()) {
            throw CliExit.error(ExitCodes.BAD_ARGS, "key required");
        }
        return args.get(0);
    }

    /** Go's {@code argOrStdin}: the argument, else all of stdin; empty means "value required". */
    String valueArg(int index) {
        if (index < args.size()) {
            return args.get(index);
        }
        final String value;
        try {
            final ByteArrayOutputStream buf = new ByteArrayOutputStream();
            session.io().in().transferTo(buf);
            value = buf.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliExit.error(ExitCodes.BAD_ARGS, "value required");
        }
        if (value.isEmpty()) {
            throw CliExit.error(ExitCodes.BAD_ARGS, "value required");
        }
        return value;
    }

    void print(KeyResponse resp) {
        ResponsePrinter.print(resp, session.output(), session.io().out(), session.io().err());
    }

    /** Directory commands print their response only in the extended and json formats. */
    void printUnlessSimple(KeyResponse resp) {
        if (!session.output().equals("simple")) {
            print(resp);
        }
    }

    static CliExit serverError(Exception e) {
        return CliExit.error(ExitCodes.SERVER_ERROR, e);
    }
}
