package org.vectrain.engine.train;

import java.util.List;
import org.vectrain.engine.Medians;
import org.vectrain.engine.eval.ConfusionMatrix;
import org.vectrain.engine.eval.Evaluation;

/**
 * What a training run reports whatever its model: its epochs, its test figures and how it ended. The results of
 * the one-layer and the two-layer trainers both are one, so that a run's summary and history are written alike.
 */
public interface RunOutcome {
    /** One record per judged epoch. */
    List<EpochRecord> history();

    /** The returned model on the test set; null without a test set or when the run diverged. */
    Evaluation test();

    /** Why the run stopped early (a non-finite loss), or null. */
    String divergence();

    /** Wall time of the whole run, evaluations included. */
    double totalMillis();

    /** The epoch whose weights the run returns. */
    int modelEpoch();

    /** The epoch of best validation accuracy, 0 when the run did not track it. */
    int bestEpoch();

    /** Whether early stopping ended the run before its last epoch. */
    boolean stoppedEarly();

    /** The returned model's confusion matrix on the test set, null when {@link #test()} is. */
    ConfusionMatrix testConfusion();

    default boolean diverged() {
        return divergence() != null;
    }

    /** Median over epochs of the training pass time, in ms. */
    default double medianTrainMillis() {
        return Medians.of(history().stream().mapToDouble(EpochRecord::trainMillis).toArray());
    }

    /** Median over epochs of the evaluation time, in ms. */
    default double medianEvalMillis() {
        return Medians.of(history().stream().mapToDouble(EpochRecord::evalMillis).toArray());
    }
}
