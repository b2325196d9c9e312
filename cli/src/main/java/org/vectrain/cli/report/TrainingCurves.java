package org.vectrain.cli.report;

import java.util.Objects;

/**
 * The per-epoch history of one training run, as the plots need it: loss (cross-entropy), cost
 * (loss plus the L2 penalty) and accuracy, each on the training and the validation set.
 *
 * <p>{@code values[i]} belongs to epoch {@code firstEpoch + i}. A series that was not recorded is
 * {@code null} and is left out of the plot; the others must all have the same length, which may be 0
 * (a run that stopped before its first epoch). Arrays are not copied.
 *
 * @param setting the hyper-parameters in words, used in plot titles, e.g. from {@link CurvePlots#setting}
 * @param firstEpoch 0 when the history includes the point measured before training, otherwise 1
 */
public record TrainingCurves(String setting, int firstEpoch,
        double[] trainingLoss, double[] validationLoss,
        double[] trainingCost, double[] validationCost,
        double[] trainingAccuracy, double[] validationAccuracy) {

    /** @throws IllegalArgumentException if {@code firstEpoch} is not 0 or 1, or the series differ in length */
    public TrainingCurves {
        Objects.requireNonNull(setting, "setting");
        if (firstEpoch != 0 && firstEpoch != 1) {
            throw new IllegalArgumentException("firstEpoch must be 0 or 1, got " + firstEpoch);
        }
        int length = -1;
        for (double[] series : new double[][] {trainingLoss, validationLoss, trainingCost, validationCost,
                trainingAccuracy, validationAccuracy}) {
            if (series == null) {
                continue;
            }
            if (length >= 0 && series.length != length) {
                throw new IllegalArgumentException("the series have different lengths (" + length + " and "
                        + series.length + " epochs)");
            }
            length = series.length;
        }
    }
}
