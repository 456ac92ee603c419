package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.KeysClient;
import io.v2store.etcdctl.client.KeysClient.SetOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "update", description = {"update an existing key with a given value", "",
        "Without <value>, the value is read from all of stdin."},
        customSynopsis = "etcdctl update [command options] <key> <value>")
final class UpdateCommand extends KeyCommand {
    @Option(names = "--ttl", paramLabel = "value", description = "key time-to-live in seconds (default: 0)")
    long ttl;

    @Override
    int execute() {
        final KeysClient keys = session.keys();
        final String key = keyArg();
        final String value = valueArg(1);
        try {
            print(keys.set(key, value, new SetOptions("", 0, "true", ttl, false)));
        } catch (Exception e) {
            throw serverError(e);
        }
        return ExitCodes.SUCCESS;
    }
}
