package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthRolesClient;
import picocli.CommandLine.Command;

/** {@code role add <role>}: a GET first; any answer but a role (an error, a dead cluster) lets the PUT go ahead. */
@Command(name = "add", description = "add a new role for the etcd cluster", customSynopsis = "etcdctl role add <role>")
final class RoleAddCommand extends RoleSubcommand {
    @Override
    int execute() {
        final AuthRolesClient roles = rolesWithName();
        boolean exists;
        try {
            exists = roles.get(name) != null;
        } catch (Exception e) {
            exists = false;
        }
        if (exists) {
            throw fail("Role " + name + " already exists");
        }
        try {
            roles.add(name);
        } catch (Exception e) {
            throw fail(e);
        }
        out().print("Role " + name + " created\n");
        return ExitCodes.SUCCESS;
    }
}
