package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.KeyResponse;
import io.v2store.etcdctl.client.KeysClient;
import picocli.CommandLine.Command;

@Command(name = "rmdir", description = "removes the key if it is an empty directory or a key-value pair",
        customSynopsis = "etcdctl rmdir <key>")
final class RmdirCommand extends KeyCommand {
    @Override
    int execute() {
        final KeysClient keys = session.keys();
        final String key = keyArg();
        final KeyResponse resp;
        try {
            resp = keys.delete(key, "", 0, true, false);
        } catch (Exception e) {
            throw serverError(e);
        }
        if (!resp.node().dir() || !session.output().equals("simple")) {
            print(resp);
        }
        return ExitCodes.SUCCESS;
    }
}
