package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthUsersClient;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "revoke", description = "revoke roles for an etcd user",
        customSynopsis = "etcdctl user revoke [command options] <user>")
final class UserRevokeCommand extends UserRolesChange {
    @Override
    void apply(AuthUsersClient users, List<String> roles) throws Exception {
        users.revoke(name, roles);
    }
}
