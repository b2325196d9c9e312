package org.vectrain.engine.train;

import java.util.List;
import org.vectrain.engine.eval.ConfusionMatrix;
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
 * @param modelEpoch the epoch whose weights {@code model} holds (and the test set measured): the best one
 *     with {@code --keep-best}, else the last completed
 * @param bestEpoch the epoch of best validation accuracy, 0 when the run did not track it
 * @param stoppedEarly whether early stopping ended the run before its last epoch
 * @param testConfusion the model's confusion matrix on the test set, null when {@code test} is null
 */
public record TrainResult(SoftmaxModel initial, SoftmaxModel model, List<EpochRecord> history, Evaluation test,
        String divergence, double totalMillis, int modelEpoch, int bestEpoch, boolean stoppedEarly,
        ConfusionMatrix testConfusion) implements RunOutcome {

    /** A result without a test confusion matrix. */
    public TrainResult(SoftmaxModel initial, SoftmaxModel model, List<EpochRecord> history, Evaluation test,
            String divergence, double totalMillis, int modelEpoch, int bestEpoch, boolean stoppedEarly) {
        this(initial, model, history, test, divergence, totalMillis, modelEpoch, bestEpoch, stoppedEarly, null);
    }

    /** A run of all its epochs without model selection: the model is the last epoch's. */
    public TrainResult(SoftmaxModel initial, SoftmaxModel model, List<EpochRecord> history, Evaluation test,
            String divergence, double totalMillis) {
        this(initial, model, history, test, divergence, totalMillis, history.size(), 0, false);
    }
}
