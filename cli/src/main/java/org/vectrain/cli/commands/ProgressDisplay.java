package org.vectrain.cli.commands;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.vectrain.engine.train.EpochListener;
import org.vectrain.engine.train.EpochRecord;

/**
 * Shows training progress: a bar per run with the current validation accuracy on a terminal, one
 * plain line per epoch when stdout is redirected, nothing with {@code --quiet}.
 */
final class ProgressDisplay implements EpochListener, AutoCloseable {
    private enum Mode { BAR, LINES, QUIET }

    private final Mode mode;
    private final PrintWriter out;
    private final String task;
    private ProgressBar bar;

    ProgressDisplay(String task, int epochs, boolean quiet, PrintWriter out) {
        this.mode = quiet ? Mode.QUIET : (System.console() != null ? Mode.BAR : Mode.LINES);
        this.out = out;
        this.task = task;
        if (mode == Mode.BAR) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(epochs).setUnit(" epochs", 1)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100).continuousUpdate()
                    .setConsumer(new ConsoleProgressBarConsumer(System.out)).build();
        }
    }

    @Override
    public void epochDone(EpochRecord r, int totalEpochs) {
        switch (mode) {
            case BAR -> {
                bar.step();
                bar.setExtraMessage(String.format(Locale.ROOT, "val acc %.2f%%", 100 * r.validation().accuracy()));
            }
            case LINES -> out.printf(Locale.ROOT,
                    "%s  epoch %d/%d  train loss %.4f acc %.2f%%  val loss %.4f acc %.2f%%  (%.1f + %.1f ms)%n", task,
                    r.epoch(), totalEpochs, r.train().loss(), 100 * r.train().accuracy(), r.validation().loss(),
                    100 * r.validation().accuracy(), r.trainMillis(), r.evalMillis());
            default -> { }
        }
        out.flush();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
