package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.KeysClient;
import io.v2store.etcdctl.client.KeysClient.SetOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "set", description = {"set the value of a key", "",
        "When <value> begins with '-', <value> is interpreted as a flag.",
        "Insert '--' for workaround:", "", "$ set -- <key> <value>",
        "Without <value>, the value is read from all of stdin."},
        customSynopsis = "etcdctl set [command options] <key> <value>")
final class SetCommand extends KeyCommand {
    @Option(names = "--ttl", paramLabel = "value", description = "key time-to-live in seconds (default: 0)")
    long ttl;

    @Option(names = "--swap-with-value", paramLabel = "value", description = "previous value")
    String swapWithValue = "";

    @Option(names = "--swap-with-index", paramLabel = "value", description = "previous index (default: 0)")
    long swapWithIndex;

    @Override
    int execute() {
        final KeysClient keys = session.keys();
        final String key = keyArg();
        final String value = valueArg(1);
        try {
            print(keys.set(key, value, new SetOptions(swapWithValue, swapWithIndex, null, ttl, false)));
        } catch (Exception e) {
            throw serverError(e);
        }
        return ExitCodes.SUCCESS;
    }
}
