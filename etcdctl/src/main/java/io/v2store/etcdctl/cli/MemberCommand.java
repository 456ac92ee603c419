package io.v2store.etcdctl.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "member", description = "member add, remove and list subcommands", synopsisSubcommandLabel = "command",
        subcommands = {MemberListCommand.class, MemberAddCommand.class, MemberRemoveCommand.class,
            MemberUpdateCommand.class})
final class MemberCommand implements Runnable {
    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = {"--help", "-h"}, usageHelp = true, description = "show help")
    boolean help;

    @Override
    public void run() {
        spec.commandLine().usage(root.io().out());
    }
}
