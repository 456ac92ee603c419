package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.KeysClient;
import io.v2store.etcdctl.client.KeysClient.SetOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "mkdir", description = "make a new directory", customSynopsis = "etcdctl mkdir [command options] <key>")
final class MkdirCommand extends KeyCommand {
    @Option(names = "--ttl", paramLabel = "value", description = "key time-to-live in seconds (default: 0)")
    long ttl;

    @Override
    int execute() {
        final KeysClient keys = session.keys();
        final String key = keyArg();
        try {
            printUnlessSimple(keys.set(key, "", new SetOptions("", 0, "false", ttl, true)));
        } catch (Exception e) {
            throw serverError(e);
        }
        return ExitCodes.SUCCESS;
    }
}
