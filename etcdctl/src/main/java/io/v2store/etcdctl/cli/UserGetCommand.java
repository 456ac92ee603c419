package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthUser;
import io.v2store.etcdctl.client.AuthUsersClient;
import picocli.CommandLine.Command;

@Command(name = "get", description = "get details for a user", customSynopsis = "etcdctl user get <user>")
final class UserGetCommand extends UserSubcommand {
    @Override
    int execute() {
        final AuthUsersClient users = usersWithName();
        final AuthUser user;
        try {
            user = users.get(name);
        } catch (Exception e) {
            throw fail(e);
        }
        out().print("User: " + user.user() + "\n");
        out().print("Roles: " + String.join(" ", user.roles()) + "\n");
        return ExitCodes.SUCCESS;
    }
}
