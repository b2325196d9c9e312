package org.vectrain.cli.commands;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.vectrain.engine.train.EpochListener;

/**
 * Shows training progress: one bar over all the epochs of a command (several runs may feed it at
 * once) with the latest validation accuracy on a terminal, one plain line per epoch when stdout is
 * redirected, nothing with {@code --quiet}. Safe to use from several training threads.
 */
final class ProgressDisplay implements AutoCloseable {
    private enum Mode { BAR, LINES, QUIET }

    private final Mode mode;
    private final PrintWriter out;
    private ProgressBar bar;

    /**
     * @param task the bar's label
     * @param totalEpochs epochs of all the runs the bar will follow
     */
    ProgressDisplay(String task, long totalEpochs, boolean quiet, PrintWriter out) {
        this.mode = quiet ? Mode.QUIET : (System.console() != null ? Mode.BAR : Mode.LINES);
        this.out = out;
        if (mode == Mode.BAR) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalEpochs).setUnit(" epochs", 1)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100).continuousUpdate()
                    .setConsumer(new ConsoleProgressBarConsumer(System.out)).build();
        }
    }

    /** A listener for one run, whose log lines start with {@code run}. */
    EpochListener listener(String run) {
        return (r, totalEpochs) -> {
            synchronized (this) {
                switch (mode) {
                    case BAR -> {
                        bar.step();
                        bar.setExtraMessage(String.format(Locale.ROOT, "val acc %.2f%%",
                                100 * r.validation().accuracy()));
                    }
                    case LINES -> {
                        out.printf(Locale.ROOT, "%s  epoch %d/%d  train loss %.4f acc %.2f%%  val loss %.4f acc "
                                + "%.2f%%  (training %.1f ms, evaluation %.1f ms)%n", run, r.epoch(), totalEpochs, r.train().loss(),
                                100 * r.train().accuracy(), r.validation().loss(), 100 * r.validation().accuracy(),
                                r.trainMillis(), r.evalMillis());
                        out.flush();
                    }
                    default -> { }
                }
            }
        };
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
