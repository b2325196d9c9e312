package org.vectrain.engine.train;

import java.util.List;
import org.vectrain.engine.eval.ConfusionMatrix;
import org.vectrain.engine.eval.Evaluation;
import org.vectrain.engine.model.TwoLayerModel;

/**
 * The outcome of one training run of the two-layer network, as {@link TrainResult} is the one-layer model's.
 *
 * @param initial the parameters training started from
 * @param model the trained parameters: the best epoch's with keep-best, else the last judged epoch's
 */
public record TwoLayerResult(TwoLayerModel initial, TwoLayerModel model, List<EpochRecord> history, Evaluation test,
        String divergence, double totalMillis, int modelEpoch, int bestEpoch, boolean stoppedEarly,
        ConfusionMatrix testConfusion) implements RunOutcome {
}
