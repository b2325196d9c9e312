package org.vectrain.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.vectrain.cli.commands.BenchCommand;
import org.vectrain.cli.commands.CompareCommand;
import org.vectrain.cli.commands.DataCommand;
import org.vectrain.cli.commands.DownloadCommand;
import org.vectrain.cli.commands.EvaluateCommand;
import org.vectrain.cli.commands.GradcheckCommand;
import org.vectrain.cli.commands.PredictCommand;
import org.vectrain.cli.commands.SearchCommand;
import org.vectrain.cli.commands.SuiteCommand;
import org.vectrain.cli.commands.TrainCommand;
import org.vectrain.engine.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: builds the command tree, runs it, and maps every outcome to one exit code. */
@Command(name = "vectrain", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Softmax classifier experiments on CIFAR-10 with hand-written SIMD kernels.",
        subcommands = {SuiteCommand.class, TrainCommand.class, SearchCommand.class, PredictCommand.class, EvaluateCommand.class,
            GradcheckCommand.class,
            BenchCommand.class, CompareCommand.class, DataCommand.class, DownloadCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code; used by tests in-process. */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handleExecutionException);
        cli.setParameterExceptionHandler(Main::handleParameterException);
        CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
        cli.setExecutionStrategy(parsed -> {
            Provenance.record(parsed.originalArgs().toArray(String[]::new), parsed);
            return runLast.execute(parsed);
        });
        cli.setHelpFactory(HelpLayout.FACTORY);
        // Wide enough for an option with its alias, e.g. "--epochs, --n_epochs=N", beside its description.
        cli.setUsageHelpLongOptionsMaxWidth(HelpLayout.LONG_OPTIONS_WIDTH);
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        // One line, like every other input error: what is wrong, the name meant when it was a typo, then
        // where to look.
        String message = e instanceof CommandLine.UnmatchedArgumentException unmatched
                ? Suggestions.describe(unmatched) : Suggestions.withNameUsed(e, args);
        err.println("vectrain: " + message + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName()
                + " --help')");
        return ExitCodes.USAGE;
    }

    private static int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (e instanceof InputException input) {
            err.println("vectrain: " + ParameterFlags.message(cli.getCommand(), input));
            return ExitCodes.USAGE;
        }
        if (e instanceof UncheckedIOException io) {
            err.println("vectrain: I/O error: " + io.getCause().getMessage());
            return ExitCodes.IO_ERROR;
        }
        err.println("vectrain: internal error, please report it with the command that caused it:");
        e.printStackTrace(err);
        return ExitCodes.INTERNAL;
    }
}
