package org.vectrain.cli.commands;

import org.vectrain.cli.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vectrain data}: the parent of the commands that inspect the data. */
@Command(name = "data", description = "Inspect the CIFAR-10 data.", subcommands = {DataInfoCommand.class},
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
public final class DataCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
