package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.KeyResponse;
import io.v2store.etcdctl.client.KeysClient;
import io.v2store.etcdctl.client.KeysClient.SetOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "mk", description = {"make a new key with a given value", "",
        "Without <value>, the value is read from all of stdin."},
        customSynopsis = "etcdctl mk [command options] <key> <value>")
final class MkCommand extends KeyCommand {
    @Option(names = "--in-order", description = "create in-order key under directory <key>")
    boolean inOrder;

    @Option(names = "--ttl", paramLabel = "value", description = "key time-to-live in seconds (default: 0)")
    long ttl;

    @Override
    int execute() {
        final KeysClient keys = session.keys();
        final String key = keyArg();
        final String value = valueArg(1);
        final KeyResponse resp;
        try {
            resp = inOrder ? keys.createInOrder(key, value, ttl)
                    : keys.set(key, value, new SetOptions("", 0, "false", ttl, false));
        } catch (Exception e) {
            throw serverError(e);
        }
        print(resp);
        return ExitCodes.SUCCESS;
    }
}
