package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.Member;
import io.v2store.etcdctl.client.MembersClient;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "remove", description = "remove an existing member from the etcd cluster",
        customSynopsis = "etcdctl member remove <memberID>")
final class MemberRemoveCommand extends MemberSubcommand {
    @Override
    int execute() {
        if (args.size() != 1) {
            throw fail("Provide a single member ID\n");
        }
        final String removalId = args.get(0);
        final MembersClient api = members();
        final List<Member> list;
        try {
            list = api.list();
        } catch (Exception e) {
            throw fail("Error while verifying ID against known members: " + e.getMessage() + "\n");
        }
        boolean found = false;
        for (Member m : list) {
            found |= m.id().equals(removalId);
            if (m.name().equals(removalId)) {
                session.io().err().print("Found a member named " + m.name()
                        + "; if this is correct, please use its ID, eg:\n\tetcdctl member remove " + m.id() + "\n");
                session.io().err().print("For more details, read the documentation at https://github.com/etcd-io/etcd/"
                        + "blob/master/Documentation/runtime-configuration.md#remove-a-member\n\n");
            }
        }
        if (!found) {
            throw fail("Couldn't find a member in the cluster with an ID of " + removalId + ".\n");
        }
        try {
            api.remove(removalId);
        } catch (Exception e) {
            throw fail("Received an error trying to remove member " + removalId + ": " + e.getMessage());
        }
        out().print("Removed member " + removalId + " from cluster\n");
        return ExitCodes.SUCCESS;
    }
}
