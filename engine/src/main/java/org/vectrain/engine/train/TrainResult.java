package org.vectrain.engine.train;

import java.util.List;
import org.vectrain.engine.eval.Evaluation;
import org.vectrain.engine.model.SoftmaxModel;

/**
 * The outcome of one training run.
 *
 * @param initial the parameters training started from
 * @param model the trained parameters
 * @param history one record per completed epoch
 * @param test the trained model on the test set (null when no test set was given or the run diverged)
 * @param divergence why the run stopped early (a non-finite loss), or null when it completed
 * @param totalMillis wall time of the whole run, evaluations included
 */
public record TrainResult(SoftmaxModel initial, SoftmaxModel model, List<EpochRecord> history, Evaluation test,
        String divergence, double totalMillis) {

    public boolean diverged() {
        return divergence != null;
    }

    /** Median over epochs of the training pass time, in ms. */
    public double medianTrainMillis() {
        return median(history.stream().mapToDouble(EpochRecord::trainMillis).sorted().toArray());
    }

    /** Median over epochs of the evaluation time, in ms. */
    public double medianEvalMillis() {
        return median(history.stream().mapToDouble(EpochRecord::evalMillis).sorted().toArray());
    }

    private static double median(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
