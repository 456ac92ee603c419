package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.KeyNode;
import io.v2store.etcdctl.client.KeyResponse;
import io.v2store.etcdctl.client.KeysClient;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ls", description = "retrieve a directory", customSynopsis = "etcdctl ls [command options] [key]")
final class LsCommand extends KeyCommand {
    @Option(names = "--sort", description = "returns result in sorted order")
    boolean sort;

    @Option(names = {"--recursive", "-r"}, description = "returns all key names recursively for the given path")
    boolean recursive;

    @Option(names = "-p", description = "append slash (/) to directories")
    boolean slashDirs;

    @Option(names = {"--quorum", "-q"}, description = "require quorum for get request")
    boolean quorum;

    @Override
    int execute() {
        final KeysClient keys = session.keys();
        final String key = args.isEmpty() ? "/" : args.get(0);
        final KeyResponse resp;
        try {
            resp = keys.get(key, sort, recursive, quorum);
        } catch (Exception e) {
            throw serverError(e);
        }
        if (!session.output().equals("simple")) {
            print(resp);
            return ExitCodes.SUCCESS;
        }
        final PrintStream out = session.io().out();
        if (!resp.node().dir()) {
            out.print(resp.node().key() + "\n");
        }
        if (resp.node().nodes() != null) {
            for (KeyNode child : resp.node().nodes()) {
                printTree(child, out);
            }
        }
        return ExitCodes.SUCCESS;
    }

    private void printTree(KeyNode node, PrintStream out) {
        out.print(node.key() + (node.dir() && slashDirs ? "/" : "") + "\n");
        if (node.nodes() != null) {
            for (KeyNode child : node.nodes()) {
                printTree(child, out);
            }
        }
    }
}
