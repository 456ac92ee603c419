package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.KeysClient;
import io.v2store.etcdctl.client.KeysClient.SetOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "updatedir", description = "update an existing directory",
        customSynopsis = "etcdctl updatedir [command options] <key>")
final class UpdatedirCommand extends KeyCommand {
    @Option(names = "--ttl", paramLabel = "value", description = "key time-to-live in seconds (default: 0)")
    long ttl;

    @Override
    int execute() {
        final KeysClient keys = session.keys();
        final String key = keyArg();
        try {
            printUnlessSimple(keys.set(key, "", new SetOptions("", 0, "true", ttl, true)));
        } catch (Exception e) {
            throw serverError(e);
        }
        return ExitCodes.SUCCESS;
    }
}
