package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthRole;
import io.v2store.etcdctl.client.AuthRolesClient;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "get", description = "get details for a role", customSynopsis = "etcdctl role get <role>")
final class RoleGetCommand extends RoleSubcommand {
    @Override
    int execute() {
        final AuthRolesClient roles = rolesWithName();
        final AuthRole role;
        try {
            role = roles.get(name);
        } catch (Exception e) {
            throw fail(e);
        }
        out().print("Role: " + role.role() + "\n");
        out().print("KV Read:\n");
        printPrefixes(role.permissions().read());
        out().print("KV Write:\n");
        printPrefixes(role.permissions().write());
        return ExitCodes.SUCCESS;
    }

    private void printPrefixes(List<String> prefixes) {
        if (prefixes != null) {
            prefixes.forEach(p -> out().print("\t" + p + "\n"));
        }
    }
}
