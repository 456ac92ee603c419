package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthUsersClient;
import picocli.CommandLine.Command;

/**
 * {@code user passwd <user>}: as in 3.4.23, prompts without first checking that the user exists; for
 * an unknown user etcd creates it (201) and etcdctl, expecting 200, prints an empty error line and exits 1.
 */
@Command(name = "passwd", description = "change password for a user", customSynopsis = "etcdctl user passwd <user>")
final class UserPasswdCommand extends UserSubcommand {
    @Override
    int execute() {
        final AuthUsersClient users = usersWithName();
        final String password = askPassword();
        try {
            users.changePassword(name, password);
        } catch (Exception e) {
            throw fail(e);
        }
        out().print("Password updated\n");
        return ExitCodes.SUCCESS;
    }
}
