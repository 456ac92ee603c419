package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.KeyResponse;
import io.v2store.etcdctl.client.KeysClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rm", description = "remove a key or a directory", customSynopsis = "etcdctl rm [command options] <key>")
final class RmCommand extends KeyCommand {
    @Option(names = "--dir", description = "removes the key if it is an empty directory or a key-value pair")
    boolean dir;

    @Option(names = {"--recursive", "-r"}, description = "removes the key and all child keys(if it is a directory)")
    boolean recursive;

    @Option(names = "--with-value", paramLabel = "value", description = "previous value")
    String withValue = "";

    @Option(names = "--with-index", paramLabel = "value", description = "previous index (default: 0)")
    long withIndex;

    @Override
    int execute() {
        final KeysClient keys = session.keys();
        final String key = keyArg();
        final KeyResponse resp;
        try {
            resp = keys.delete(key, withValue, withIndex, dir, recursive);
        } catch (Exception e) {
            throw serverError(e);
        }
        if (!resp.node().dir() || !session.output().equals("simple")) {
            print(resp);
        }
        return ExitCodes.SUCCESS;
    }
}
