package org.vectrain.cli.commands;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.vectrain.engine.eval.Evaluation;
import org.vectrain.engine.train.EpochListener;
import org.vectrain.engine.train.EpochRecord;

/**
 * Shows the progress of one or more training runs: on a terminal, one bar over every epoch of every run
 * plus one step per run for its files (and any steps the command takes afterwards), with the latest
 * validation accuracy or the phase under way; when stdout is redirected, one plain line per epoch;
 * nothing with {@code --quiet}. Safe to use from several training threads.
 *
 * <p>Runs side by side would interleave their lines in a log. Lines are therefore grouped by run, in the
 * order the runs were registered (the order in which they start): the first unfinished run prints as it
 * goes, and a later run's lines wait until every run before it has finished.
 */
final class ProgressDisplay implements AutoCloseable {
    private enum Mode { BAR, LINES, QUIET }

    private final Mode mode;
    private final PrintWriter out;
    private final List<Run> runs = new ArrayList<>();
    private int labelWidth;
    private ProgressBar bar;

    /**
     * @param task the bar's label, e.g. {@code suite: 4 settings}
     * @param totalEpochs epochs of all the runs the display will follow
     * @param runs how many runs will be registered; each one's end is a step of the bar
     * @param stepsAfter further steps the command reports with {@link #stepDone} once the runs are over
     */
    ProgressDisplay(String task, long totalEpochs, int runs, int stepsAfter, boolean quiet, PrintWriter out) {
        this.mode = quiet ? Mode.QUIET : (System.console() != null ? Mode.BAR : Mode.LINES);
        this.out = out;
        if (mode == Mode.BAR) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalEpochs + runs + stepsAfter)
                    .setUnit(" steps", 1).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100)
                    .continuousUpdate().setConsumer(new ConsoleProgressBarConsumer(System.out)).build();
        }
    }

    /** How many of something, with the noun in the singular or plural: {@code 1 setting}, {@code 4 settings}. */
    static String count(long n, String singular) {
        return n + " " + singular + (n == 1 ? "" : "s");
    }

    /** Registers the next run, named {@code name} in its log lines; runs must be registered in start order. */
    synchronized Run run(String name) {
        Run run = new Run(name);
        runs.add(run);
        labelWidth = Math.max(labelWidth, name.codePointCount(0, name.length()));
        return run;
    }

    /** Shows {@code message} beside the bar, e.g. the phase that follows the runs. */
    synchronized void phase(String message) {
        if (bar != null) {
            bar.setExtraMessage(message);
        }
    }

    /** One of the steps after the runs is done. */
    synchronized void stepDone() {
        if (bar != null) {
            bar.step();
        }
    }

    /** One run's view of the display. */
    final class Run {
        private final String name;
        private final List<String> held = new ArrayList<>();
        private boolean finished;

        private Run(String name) {
            this.name = name;
        }

        /** The listener that reports this run's epochs. */
        EpochListener listener() {
            return (record, totalEpochs) -> epoch(this, record, totalEpochs);
        }

        /** The run's training is over and its files are being written. */
        void writing() {
            // short, so that the bar keeps its room on an 80-column terminal
            phase("writing files");
        }

        /** The run is over (its files written, if it writes any); safe to call more than once. */
        void finished() {
            end(this);
        }
    }

    private synchronized void epoch(Run run, EpochRecord r, int totalEpochs) {
        switch (mode) {
            case BAR -> {
                bar.step();
                bar.setExtraMessage(String.format(Locale.ROOT, "val acc %.2f%%", 100 * r.validation().accuracy()));
            }
            case LINES -> {
                run.held.add(line(run.name, r, totalEpochs));
                release();
            }
            default -> { }
        }
    }

    private synchronized void end(Run run) {
        if (run.finished) {
            return;
        }
        run.finished = true;
        if (bar != null) {
            bar.step();
        }
        if (mode == Mode.LINES) {
            release();
        }
    }

    /** Prints the held lines of the first unfinished run and of every finished run before it. */
    private void release() {
        for (Run run : runs) {
            for (String line : run.held) {
                out.println(line);
            }
            run.held.clear();
            if (!run.finished) {
                break;
            }
        }
        out.flush();
    }

    /**
     * One epoch as a log line. The training-set figures are left out when the run did not measure them
     * (a search measures the training set only for the model a run ends with).
     */
    private String line(String run, EpochRecord r, int totalEpochs) {
        StringBuilder line = new StringBuilder(run);
        line.append(" ".repeat(Math.max(0, labelWidth - run.codePointCount(0, run.length()))));
        line.append(String.format(Locale.ROOT, "  epoch %" + Integer.toString(totalEpochs).length() + "d/%d", r.epoch(),
                totalEpochs));
        if (measured(r.train())) {
            line.append(String.format(Locale.ROOT, "  train loss %.4f acc %6.2f%%", r.train().loss(),
                    100 * r.train().accuracy()));
        }
        line.append(String.format(Locale.ROOT, "  val loss %.4f acc %6.2f%%  (training %.1f ms, evaluation %.1f ms)",
                r.validation().loss(), 100 * r.validation().accuracy(), r.trainMillis(), r.evalMillis()));
        return line.toString();
    }

    /** Whether these figures were measured (a run that does not evaluate a set records a count of 0). */
    static boolean measured(Evaluation e) {
        return e.count() > 0;
    }

    @Override
    public synchronized void close() {
        if (mode == Mode.LINES) {
            for (Run run : runs) {
                run.finished = true;
            }
            release();
        }
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
