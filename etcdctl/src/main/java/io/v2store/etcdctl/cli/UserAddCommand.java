package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthUsersClient;
import picocli.CommandLine.Command;

/**
 * {@code user add <user>[:<password>]}: without a password, prompts for one. As in 3.4.23 there is
 * no check that the user is new: etcd takes the PUT of an existing user as a password change, and
 * etcdctl still says "created".
 */
@Command(name = "add", description = "add a new user for the etcd cluster", customSynopsis = "etcdctl user add <user>")
final class UserAddCommand extends UserSubcommand {
    @Override
    int execute() {
        final AuthUsersClient users = usersWithName();
        final int colon = name.indexOf(':');
        final String user = colon < 0 ? name : name.substring(0, colon);
        final String password = colon < 0 ? askPassword() : name.substring(colon + 1);
        try {
            users.add(user, password);
        } catch (Exception e) {
            throw fail(e);
        }
        out().print("User " + user + " created\n");
        return ExitCodes.SUCCESS;
    }
}
