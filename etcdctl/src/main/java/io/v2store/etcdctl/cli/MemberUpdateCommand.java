package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.MembersClient;
import java.util.Arrays;
import picocli.CommandLine.Command;

@Command(name = "update", description = "update an existing member in the etcd cluster",
        customSynopsis = "etcdctl member update <memberID> <peerURLs>")
final class MemberUpdateCommand extends MemberSubcommand {
    @Override
    int execute() {
        if (args.size() != 2) {
            throw fail("Provide an ID and a list of comma separated peerURL (0xabcd http://example.com,http://example1.com)\n");
        }
        final MembersClient api = members();
        final String id = args.get(0);
        try {
            api.update(id, Arrays.asList(args.get(1).split(",", -1)));
        } catch (Exception e) {
            throw fail(e.getMessage() + "\n");
        }
        out().print("Updated member with ID " + id + " in cluster\n");
        return ExitCodes.SUCCESS;
    }
}
