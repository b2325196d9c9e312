package org.vectrain.engine.train;

import java.util.List;
import org.vectrain.engine.model.SoftmaxModel;

/**
 * Everything a run needs to go on after a judged epoch and give the same bits as if it had never stopped:
 * the random streams are not stored, since the trainer draws them again for the epochs done (see
 * {@link Trainer#train(TrainConfig, SoftmaxModel, org.vectrain.engine.data.DataSet,
 * org.vectrain.engine.data.DataSet, org.vectrain.engine.data.DataSet, EpochListener, boolean, TrainingState,
 * java.util.function.Consumer)}); the schedule's position is the epoch and the step count.
 *
 * @param epoch the epochs done, 1-based count
 * @param steps the update steps done (the per-step schedule's position)
 * @param model the parameters training goes on from: the last iterate, not an average or the best epoch's
 * @param history the records of epochs 1..epoch
 * @param bestEpoch the epoch of best validation accuracy so far, 0 when not tracked
 * @param bestAccuracy its validation accuracy, -infinity when not tracked
 * @param best that epoch's judged model when the run keeps the best ({@code --keep-best}), else null
 * @param averageW the sums of W over the averaged iterates, null without averaging
 * @param averageB the sums of b over the averaged iterates, null without averaging
 * @param averageCount the iterates averaged so far
 */
public record TrainingState(int epoch, long steps, SoftmaxModel model, List<EpochRecord> history, int bestEpoch,
        double bestAccuracy, SoftmaxModel best, double[] averageW, double[] averageB, long averageCount) {
}
