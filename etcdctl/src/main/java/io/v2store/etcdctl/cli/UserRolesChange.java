package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthUsersClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code user grant|revoke --roles r [--roles r2] <user>}. Each --roles value is one role name, commas
 * included (urfave/cli's StringSlice does not split). The roles are checked before the name.
 */
abstract class UserRolesChange extends UserSubcommand {
    @Option(names = "--roles", paramLabel = "value", description = "List of roles to grant or revoke")
    List<String> roles = new ArrayList<>();

    abstract void apply(AuthUsersClient users, List<String> roles) throws Exception;

    @Override
    final int execute() {
        if (roles.isEmpty()) {
            throw fail("No roles specified; please use `--roles`");
        }
        final AuthUsersClient users = usersWithName();
        try {
            apply(users, roles);
        } catch (Exception e) {
            throw fail(e);
        }
        out().print("User " + name + " updated\n");
        return ExitCodes.SUCCESS;
    }
}
