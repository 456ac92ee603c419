package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthUsersClient;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "list", description = "list all current users", customSynopsis = "etcdctl user list")
final class UserListCommand extends UserSubcommand {
    @Override
    int execute() {
        noArgs();
        // Outside the try: a failed sync ends the command with its own message and exit code.
        final AuthUsersClient api = new AuthUsersClient(connect());
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
