package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.Member;
import io.v2store.etcdctl.client.MembersClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "add", description = "add a new member to the etcd cluster",
        customSynopsis = "etcdctl member add <name> <peerURL>")
final class MemberAddCommand extends MemberSubcommand {
    @Override
    int execute() {
        if (args.size() != 2) {
            throw fail("Provide a name and a single member peerURL\n");
        }
        final MembersClient api = members();
        final String newName = args.get(0);
        final Member added;
        final List<Member> all;
        try {
            added = api.add(args.get(1));
        } catch (Exception e) {
            throw fail(e.getMessage() + "\n");
        }
        out().print("Added member named " + newName + " with ID " + added.id() + " to cluster\n");
        try {
            all = api.list();
        } catch (Exception e) {
            throw fail(e.getMessage() + "\n");
        }
        final List<String> conf = new ArrayList<>();
        for (Member m : all) {
            for (String url : m.peerUrls()) {
                conf.add((m.id().equals(added.id()) ? newName : m.name()) + "=" + url);
            }
        }
        out().print("\n");
        out().print("ETCD_NAME=" + goQuote(newName) + "\n");
        out().print("ETCD_INITIAL_CLUSTER=" + goQuote(String.join(",", conf)) + "\n");
        out().print("ETCD_INITIAL_CLUSTER_STATE=\"existing\"\n");
        return ExitCodes.SUCCESS;
    }

    /** Go's {@code %q} for the plain names and URLs printed here. */
    private static String goQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
