package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthUsersClient;
import picocli.CommandLine.Command;

@Command(name = "remove", description = "remove a user for the etcd cluster",
        customSynopsis = "etcdctl user remove <user>")
final class UserRemoveCommand extends UserSubcommand {
    @Override
    int execute() {
        final AuthUsersClient users = usersWithName();
        try {
            users.remove(name);
        } catch (Exception e) {
            throw fail(e);
        }
        out().print("User " + name + " removed\n");
        return ExitCodes.SUCCESS;
    }
}
