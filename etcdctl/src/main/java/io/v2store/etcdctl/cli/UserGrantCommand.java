package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthUsersClient;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "grant", description = "grant roles to an etcd user",
        customSynopsis = "etcdctl user grant [command options] <user>")
final class UserGrantCommand extends UserRolesChange {
    @Override
    void apply(AuthUsersClient users, List<String> roles) throws Exception {
        users.grant(name, roles);
    }
}
