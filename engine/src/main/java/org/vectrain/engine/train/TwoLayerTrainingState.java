package org.vectrain.engine.train;

import java.util.List;
import org.vectrain.engine.model.TwoLayerModel;

/**
 * Everything a run of the two-layer network needs to go on after a judged epoch and give the same bits as if it
 * had never stopped, as {@link TrainingState} is for the one-layer model: the random streams are drawn again for
 * the epochs done, the dropout masks' seeds for the steps done.
 *
 * @param epoch the epochs done, 1-based count
 * @param steps the update steps done (the per-step schedule's position)
 * @param model the network training goes on from: the last iterate, not an average or the best epoch's
 * @param history the records of epochs 1..epoch
 * @param bestEpoch the epoch of best validation accuracy so far, 0 when not tracked
 * @param bestAccuracy its validation accuracy, -infinity when not tracked
 * @param best that epoch's judged network when the run keeps the best ({@code --keep-best}), else null
 * @param averageSums the sums of W1, b1, W2 and b2 (in that order, as the network holds them) over the averaged
 *     iterates, null without averaging
 * @param averageCount the iterates averaged so far
 */
public record TwoLayerTrainingState(int epoch, long steps, TwoLayerModel model, List<EpochRecord> history,
        int bestEpoch, double bestAccuracy, TwoLayerModel best, double[][] averageSums, long averageCount) {
}
