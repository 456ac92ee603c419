package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthClient;
import picocli.CommandLine.Command;

@Command(name = "enable", description = "enable auth access controls", customSynopsis = "etcdctl auth enable")
final class AuthEnableCommand extends AuthSubcommand {
    @Override
    int execute() {
        noArgs();
        // Outside the try: a failed sync ends the command with its own message and exit code.
        final AuthClient api = new AuthClient(connect());
        try {
            api.enable();
        } catch (Exception e) {
            throw fail(e);
        }
        out().print("Authentication Enabled\n");
        return ExitCodes.SUCCESS;
    }
}
