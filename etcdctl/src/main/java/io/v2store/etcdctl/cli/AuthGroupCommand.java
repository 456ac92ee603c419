package io.v2store.etcdctl.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** What {@code user}, {@code role} and {@code auth} share: alone, each prints its usage and exits 0. */
abstract class AuthGroupCommand implements Runnable {
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
