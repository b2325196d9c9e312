package org.vectrain.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.vectrain.engine.eval.Evaluation;

/**
 * Judges each epoch on its figures, in epoch order: records it, tells the listener, and decides whether
 * the run stops (divergence, or no better validation accuracy for the patience), keeping the best model.
 */
final class EpochJudge<M> {
    private final TrainConfig config;
    private final EpochListener listener;
    private final boolean trainingFigures;
    private final BiConsumer<M, M> copy;
    final List<EpochRecord> history;
    /** A copy of the best epoch's judged model, when kept. */
    final M best;
    int bestEpoch;
    double bestAccuracy = Double.NEGATIVE_INFINITY;
    boolean stoppedEarly;
    String divergence;
    /** The model the last judged epoch was judged on. */
    M lastJudged;

    /** {@code best} receives the best epoch's model through {@code copy} (into, from); null: none kept. */
    EpochJudge(TrainConfig config, EpochListener listener, boolean trainingFigures, M best,
            BiConsumer<M, M> copy) {
        this.copy = copy;
        this.config = config;
        this.listener = listener;
        this.trainingFigures = trainingFigures;
        this.history = new ArrayList<>(config.epochs());
        this.best = best;
    }

    /**
     * Takes the records and the best epoch (and its model, {@code stateBest}) of a saved run; {@code lastJudged} is
     * the model its last epoch was judged on.
     */
    void restore(List<EpochRecord> savedHistory, int savedBestEpoch, double savedBestAccuracy, M lastJudged,
            M stateBest) {
        history.addAll(savedHistory);
        bestEpoch = savedBestEpoch;
        bestAccuracy = savedBestAccuracy;
        if (best != null && stateBest != null) {
            copy.accept(best, stateBest);
        }
        this.lastJudged = lastJudged;
    }

    /**
     * Epoch {@code epoch}, evaluated on {@code judged}: {@code figures} holds the training and validation
     * figures, or only the validation's without training figures. Returns whether the run stops here.
     */
    boolean judge(int epoch, double eta, Evaluation[] figures, double trainMillis, double evalMillis,
            M judged) {
        Evaluation trainEval = trainingFigures ? figures[0] : Trainer.NOT_MEASURED;
        Evaluation valEval = figures[figures.length - 1];
        EpochRecord record = new EpochRecord(epoch, eta, trainEval, valEval, trainMillis, evalMillis);
        history.add(record);
        lastJudged = judged;
        listener.epochDone(record, config.epochs());
        if ((trainingFigures && !trainEval.isFinite()) || !valEval.isFinite()) {
            divergence = "diverged at epoch " + epoch + ": training loss " + trainEval.loss()
                    + ", validation loss " + valEval.loss() + " (η=" + config.eta() + " is probably too large)";
            return true;
        }
        if (config.tracksBest()) {
            // strictly better only: on a tie the earlier epoch stays chosen
            if (valEval.accuracy() > bestAccuracy) {
                bestAccuracy = valEval.accuracy();
                bestEpoch = epoch;
                if (best != null) {
                    copy.accept(best, judged);
                }
            } else if (config.patience() > 0 && epoch - bestEpoch >= config.patience()) {
                stoppedEarly = epoch < config.epochs();
                return true;
            }
        }
        return false;
    }
}
