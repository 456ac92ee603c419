package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.KeyResponse;
import io.v2store.etcdctl.client.KeysClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "get", description = "retrieve the value of a key", customSynopsis = "etcdctl get [command options] <key>")
final class GetCommand extends KeyCommand {
    @Option(names = "--sort", description = "returns result in sorted order")
    boolean sort;

    @Option(names = {"--quorum", "-q"}, description = "require quorum for get request")
    boolean quorum;

    @Override
    int execute() {
        final KeysClient keys = session.keys();
        final String key = keyArg();
        final KeyResponse resp;
        try {
            resp = keys.get(key, sort, false, quorum);
        } catch (Exception e) {
            throw serverError(e);
        }
        if (resp.node().dir()) {
            session.io().err().print(resp.node().key() + ": is a directory\n");
            return ExitCodes.BAD_ARGS;
        }
        print(resp);
        return ExitCodes.SUCCESS;
    }
}
