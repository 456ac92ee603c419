package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthRolesClient;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "list", description = "list all roles", customSynopsis = "etcdctl role list")
final class RoleListCommand extends RoleSubcommand {
    @Override
    int execute() {
        noArgs();
        // Outside the try: a failed sync ends the command with its own message and exit code.
        final AuthRolesClient api = new AuthRolesClient(connect());
        final List<String> names;
        try {
            names = api.list();
        } catch (Exception e) {
            throw fail(e);
        }
        names.forEach(n -> out().print(n + "\n"));
        return ExitCodes.SUCCESS;
    }
}
