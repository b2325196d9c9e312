package org.vectrain.cli.report;

import java.util.List;

/**
 * Draws a small chart and a weight montage off-screen and throws them away, so that the plotting stack
 * (Java2D, its fonts, XChart) is loaded and initialised before a run's first real plot.
 *
 * <p>Why: the first plot of a process pays for loading and initialising that stack, several times the
 * cost of each plot after it. Done while the process waits anyway (for the kernels' warm-up), that cost
 * leaves the path the user waits on. Nothing is written.
 */
public final class PlotWarmup {
    /** Points per curve: enough for the axes, ticks and legend of a real plot. */
    private static final int EPOCHS = 3;

    private PlotWarmup() {
    }

    /** Runs the warm-up on the calling thread. */
    public static void run() {
        double[] falling = new double[EPOCHS];
        double[] rising = new double[EPOCHS];
        for (int i = 0; i < EPOCHS; i++) {
            falling[i] = 2.0 - 0.1 * i;
            rising[i] = 0.2 + 0.1 * i;
        }
        TrainingCurves curves = new TrainingCurves(CurvePlots.setting(0.1, 100, 0.001, EPOCHS), 1, falling, falling,
                falling, falling, rising, rising);
        CurvePlots.render(List.of(CurvePlots.accuracyChart(curves)), 1, CurvePlots.WIDTH);
        float[] weights = new float[WeightMontage.ROW];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (i % 7) - 3;
        }
        WeightMontage.render(weights, List.of("warm-up"), "warm-up");
    }
}
