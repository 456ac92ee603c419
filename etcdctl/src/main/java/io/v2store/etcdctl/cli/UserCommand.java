package io.v2store.etcdctl.cli;

import picocli.CommandLine.Command;

@Command(name = "user", description = "user add, grant and revoke subcommands", synopsisSubcommandLabel = "command",
        subcommands = {UserAddCommand.class, UserGetCommand.class, UserListCommand.class, UserRemoveCommand.class,
            UserGrantCommand.class, UserRevokeCommand.class, UserPasswdCommand.class})
final class UserCommand extends AuthGroupCommand {
}
