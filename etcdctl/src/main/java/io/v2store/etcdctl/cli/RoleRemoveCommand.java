package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthRolesClient;
import picocli.CommandLine.Command;

@Command(name = "remove", description = "remove a role from the etcd cluster",
        customSynopsis = "etcdctl role remove <role>")
final class RoleRemoveCommand extends RoleSubcommand {
    @Override
    int execute() {
        final AuthRolesClient roles = rolesWithName();
        try {
            roles.remove(name);
        } catch (Exception e) {
            throw fail(e);
        }
        out().print("Role " + name + " removed\n");
        return ExitCodes.SUCCESS;
    }
}
