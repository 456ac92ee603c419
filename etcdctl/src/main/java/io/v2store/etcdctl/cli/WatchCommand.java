package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.HttpTransport;
import io.v2store.etcdctl.client.KeyResponse;
import io.v2store.etcdctl.client.KeysClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "watch", description = {"watch a key for changes", "",
        "With --forever, the watch survives server restarts (retrying with back-off) and a cleared event",
        "history (error 401: the key is read again and watched from the index of that read)."},
        customSynopsis = "etcdctl watch [command options] <key>")
final class WatchCommand extends KeyCommand {
    @Option(names = {"--forever", "-f"}, description = "forever watch a key until CTRL+C")
    boolean forever;

    @Option(names = "--after-index", paramLabel = "value", description = "watch after the given index (default: 0)")
    long afterIndex;

    @Option(names = {"--recursive", "-r"}, description = "returns all values for key and child keys")
    boolean recursive;

    @Override
    int execute() {
        final HttpTransport transport = session.connect();
        transport.clearDeadline();
        final String key = keyArg();
        Interrupts.exitZeroOnInterrupt(session.io());
        final WatchLoop loop = new WatchLoop(new KeysClient(transport), key, recursive, afterIndex, forever);
        while (true) {
            final KeyResponse resp;
            try {
                resp = loop.next();
            } catch (Exception e) {
                throw serverError(e);
            }
            if (resp.node().dir()) {
                continue;
            }
            if (recursive) {
                session.io().out().print("[" + resp.action() + "] " + resp.node().key() + "\n");
            }
            print(resp);
            session.io().flush();
            if (!forever) {
                return ExitCodes.SUCCESS;
            }
        }
    }
}
