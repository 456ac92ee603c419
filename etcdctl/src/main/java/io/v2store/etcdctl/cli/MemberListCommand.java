package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.Member;
import io.v2store.etcdctl.client.MembersClient;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "list", description = "enumerate existing cluster members", customSynopsis = "etcdctl member list")
final class MemberListCommand extends MemberSubcommand {
    @Override
    int execute() {
        if (!args.isEmpty()) {
            throw fail("No arguments accepted\n");
        }
        final MembersClient api = members();
        final List<Member> list;
        try {
            list = api.list();
        } catch (Exception e) {
            throw fail(e.getMessage() + "\n");
        }
        final Member leader;
        try {
            leader = api.leader();
        } catch (Exception e) {
            throw fail("Failed to get leader:  " + e.getMessage() + "\n");
        }
        for (Member m : list) {
            if (m.name().isEmpty()) {
                out().print(m.id() + "[unstarted]: peerURLs=" + String.join(",", m.peerUrls()) + "\n");
            } else {
                out().print(m.id() + ": name=" + m.name() + " peerURLs=" + String.join(",", m.peerUrls())
                        + " clientURLs=" + String.join(",", m.clientUrls()) + " isLeader=" + m.id().equals(leader.id())
                        + "\n");
            }
        }
        return ExitCodes.SUCCESS;
    }
}
