package io.v2store.etcdctl.cli;

import picocli.CommandLine.Command;

@Command(name = "auth", description = "overall auth controls", synopsisSubcommandLabel = "command",
        subcommands = {AuthEnableCommand.class, AuthDisableCommand.class})
final class AuthCommand extends AuthGroupCommand {
}
