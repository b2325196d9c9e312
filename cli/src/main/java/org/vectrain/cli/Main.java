package org.vectrain.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.vectrain.cli.commands.BenchCommand;
import org.vectrain.cli.commands.CompareCommand;
import org.vectrain.cli.commands.DataCommand;
import org.vectrain.cli.commands.DownloadCommand;
import org.vectrain.cli.commands.EvaluateCommand;
import org.vectrain.cli.commands.GradcheckCommand;
import org.vectrain.cli.commands.OutputFolders;
import org.vectrain.cli.commands.PredictCommand;
import org.vectrain.cli.commands.SearchCommand;
import org.vectrain.cli.commands.SuiteCommand;
import org.vectrain.cli.commands.TrainCommand;
import org.vectrain.engine.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: builds the command tree, runs it, and maps every outcome to one exit code. */
@Command(name = "vectrain", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Softmax classifier experiments on CIFAR-10 with hand-written SIMD kernels.")
public final class Main implements Runnable {
    /** The subcommands, in the order the help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(SuiteCommand.class, TrainCommand.class,
            SearchCommand.class, PredictCommand.class, EvaluateCommand.class, GradcheckCommand.class,
            BenchCommand.class, CompareCommand.class, DataCommand.class, DownloadCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** When {@link #run(CommandLine, String...)} handed the arguments to picocli. */
    private static volatile long parseStarted = System.nanoTime();

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns the exit code; used by tests in-process. An {@link Error} (out of
     * memory, stack overflow) that escapes a command is internal too: exit 70, a one-line summary first, the
     * trace after it.
     */
    public static int run(String... args) {
        PhaseTimeline.restart();
        CommandLine cli;
        try (var phase = PhaseTimeline.process().begin("command line model built")) {
            cli = newCommandLine(args.length > 0 ? args[0] : "");
        }
        return run(cli, args);
    }

    static int run(CommandLine cli, String... args) {
        try {
            // picocli parses, then calls the command: the parse is timed up to the call
            parseStarted = System.nanoTime();
            return cli.execute(args);
        } catch (Error e) {
            return reportInternal(cli.getErr(), e);
        } finally {
            OutputFolders.releaseAll();
        }
    }

    /** The whole command tree. */
    static CommandLine newCommandLine() {
        return newCommandLine("");
    }

    /**
     * The command tree for a command line whose first argument is {@code first}: when that names a subcommand other
     * than {@code help}, the tree holds that subcommand alone, since picocli reads the options of every subcommand
     * it is given, which takes a tenth of a second for all of them; otherwise (no subcommand, a misspelt one, an
     * argument file, {@code help}) the whole tree, for the lists and suggestions of every subcommand.
     */
    static CommandLine newCommandLine(String first) {
        CommandLine cli = new CommandLine(new Main());
        Class<?> named = SUBCOMMANDS.stream()
                .filter(c -> c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(first))
                .findFirst().orElse(null);
        for (Class<?> sub : named != null ? List.<Class<?>>of(named) : SUBCOMMANDS) {
            cli.addSubcommand(sub);
        }
        cli.setExecutionExceptionHandler(Main::handleExecutionException);
        cli.setParameterExceptionHandler(Main::handleParameterException);
        CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
        cli.setExecutionStrategy(parsed -> {
            PhaseTimeline.process().add("command line parsed", Thread.currentThread().getName(), parseStarted,
                    System.nanoTime());
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
        err.println("vectrain: " + oneLine(message) + " (see '"
                + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
        return ExitCodes.USAGE;
    }

    private static int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (e instanceof InputException input) {
            err.println("vectrain: " + oneLine(ParameterFlags.message(cli.getCommand(), input)));
            return ExitCodes.USAGE;
        }
        if (e instanceof UncheckedIOException io) {
            err.println("vectrain: I/O error: " + oneLine(io.getCause().getMessage()));
            return ExitCodes.IO_ERROR;
        }
        return reportInternal(err, e);
    }

    /** A bug: what was thrown on the first line, then the trace for the report. */
    private static int reportInternal(PrintWriter err, Throwable e) {
        String hint = e instanceof OutOfMemoryError
                ? "; give Java more memory with -Xmx in VECTRAIN_JAVA_OPTS, or report it with the command that caused it"
                : "; please report it with the command that caused it";
        err.println("vectrain: internal error: " + oneLine(String.valueOf(e)) + hint);
        e.printStackTrace(err);
        err.flush();
        return ExitCodes.INTERNAL;
    }

    /**
     * {@code text} with line ends and other control characters escaped, so that a message quoting a path or
     * a value from a file stays on one line.
     */
    static String oneLine(String text) {
        if (text == null) {
            return "(no message)";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
