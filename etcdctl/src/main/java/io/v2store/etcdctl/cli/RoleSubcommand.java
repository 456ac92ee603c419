package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthRolesClient;

/** A role subcommand: Go's {@code mustRoleAPIAndName} checks for one name before connecting. */
abstract class RoleSubcommand extends AuthSubcommand {
    String name;

    AuthRolesClient rolesWithName() {
        name = nameArg("role name");
        return new AuthRolesClient(connect());
    }
}
