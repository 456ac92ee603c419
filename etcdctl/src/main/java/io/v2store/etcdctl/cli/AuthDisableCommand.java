package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthClient;
import picocli.CommandLine.Command;

@Command(name = "disable", description = "disable auth access controls", customSynopsis = "etcdctl auth disable")
final class AuthDisableCommand extends AuthSubcommand {
    @Override
    int execute() {
        noArgs();
        // Outside the try: a failed sync ends the command with its own message and exit code.
        final AuthClient api = new AuthClient(connect());
        try {
            api.disable();
        } catch (Exception e) {
            throw fail(e);
        }
        out().print("Authentication Disabled\n");
        return ExitCodes.SUCCESS;
    }
}
