package io.v2store.etcdctl.cli;

import picocli.CommandLine.Command;

@Command(name = "role", description = "role add, grant and revoke subcommands", synopsisSubcommandLabel = "command",
        subcommands = {RoleAddCommand.class, RoleGetCommand.class, RoleListCommand.class, RoleRemoveCommand.class,
            RoleGrantCommand.class, RoleRevokeCommand.class})
final class RoleCommand extends AuthGroupCommand {
}
