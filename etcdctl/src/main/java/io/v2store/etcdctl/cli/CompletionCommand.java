package io.v2store.etcdctl.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "completion", description = {"print a shell completion script (bash or zsh)", "",
        "  source <(etcdctl completion bash)      # bash",
        "  source <(etcdctl completion zsh)       # zsh (uses bashcompinit)"},
        customSynopsis = "etcdctl completion bash|zsh")
final class CompletionCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "shell", arity = "0..1", description = "bash or zsh (default: bash)")
    String shell = "bash";

    @Option(names = {"--help", "-h"}, usageHelp = true, description = "show help")
    boolean help;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw CliExit.error(ExitCodes.BAD_ARGS, "unsupported shell \"" + shell + "\" (bash or zsh)");
        }
        // picocli's script is one script for both: under zsh it enables bashcompinit itself.
        root.io().out().print(AutoComplete.bash("etcdctl", spec.root().commandLine()));
        return ExitCodes.SUCCESS;
    }
}
