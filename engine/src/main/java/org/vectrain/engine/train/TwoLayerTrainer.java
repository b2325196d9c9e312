package org.vectrain.engine.train;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.eval.ConfusionMatrix;
import org.vectrain.engine.eval.Evaluation;
import org.vectrain.engine.eval.TwoLayerEvaluator;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.LossKernel;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.model.TwoLayerModel;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * Mini-batch gradient descent of the two-layer network ({@link TwoLayerStep}) with L2 on both weight matrices,
 * run as {@link Trainer} runs the one-layer model: the same configuration, random streams (order, flips, moves:
 * {@link EpochDraws}), schedules (the cyclical one per update step), averaging of the tail, keep-best and early
 * stopping on validation accuracy ({@link EpochJudge}), the test set measured once at the end, checkpoints after
 * every judged epoch and runs going on from one with the same bits ({@link TwoLayerTrainingState}). Each epoch's
 * evaluation runs after its training pass, on all threads.
 */
public final class TwoLayerTrainer {
    private final TwoLayerKernels kernels;
    private final Kernels losses;
    private final WorkerPool pool;

    /** Trains with {@code kernels}, the loss of each configuration from {@code losses}, on {@code pool}. */
    public TwoLayerTrainer(TwoLayerKernels kernels, Kernels losses, WorkerPool pool) {
        this.kernels = kernels;
        this.losses = losses;
        this.pool = pool;
    }

    /**
     * Trains a network from {@code initial} (left untouched) on {@code train}, judged on {@code validation} after
     * every epoch; {@code test} (may be null) measured once at the end.
     */
    public TwoLayerResult train(TrainConfig config, TwoLayerModel initial, DataSet train, DataSet validation,
            DataSet test, EpochListener listener) {
        return train(config, Dropout.NONE, initial, train, validation, test, listener);
    }

    /**
     * As {@link #train(TrainConfig, TwoLayerModel, DataSet, DataSet, DataSet, EpochListener)}, with inverted
     * {@code dropout} on the hidden layer in every training step (its masks from the seed's dropout stream); the
     * evaluations run the network without it.
     */
    public TwoLayerResult train(TrainConfig config, Dropout dropout, TwoLayerModel initial, DataSet train,
            DataSet validation, DataSet test, EpochListener listener) {
        return train(config, dropout, initial, train, validation, test, listener, true);
    }

    /**
     * As {@link #train(TrainConfig, Dropout, TwoLayerModel, DataSet, DataSet, DataSet, EpochListener)}; with
     * {@code trainingFigures} false the training set is evaluated only once, after the last epoch, for the returned
     * model, and the other epochs record {@link Trainer#NOT_MEASURED} for it, as a search's one-layer runs do.
     */
    public TwoLayerResult train(TrainConfig config, Dropout dropout, TwoLayerModel initial, DataSet train,
            DataSet validation, DataSet test, EpochListener listener, boolean trainingFigures) {
        return train(config, dropout, initial, train, validation, test, listener, trainingFigures, null, null);
    }

    /**
     * As {@link #train(TrainConfig, Dropout, TwoLayerModel, DataSet, DataSet, DataSet, EpochListener, boolean)},
     * going on after the epochs of {@code resumeFrom} (null: from the start), a state of a run of the same
     * {@code config} (its epoch count aside), {@code dropout} and {@code initial}, and handing the state after every
     * judged epoch to {@code checkpoints} (null: none) unless the run diverged. A run resumed from epoch k gives the
     * same bits as the run in one go: the random streams are drawn again for the epochs and steps done.
     */
    public TwoLayerResult train(TrainConfig config, Dropout dropout, TwoLayerModel initial, DataSet train,
            DataSet validation, DataSet test, EpochListener listener, boolean trainingFigures,
            TwoLayerTrainingState resumeFrom, Consumer<TwoLayerTrainingState> checkpoints) {
        Trainer.checkData(config, initial.dim(), train, validation, test);
        int n = train.size();
        long start = System.nanoTime();
        TwoLayerModel model = initial.copy();
        LossKernel loss = config.loss().kernel(losses);
        SplittableRandom dropoutSeeds = new RandomStreams(config.seed()).dropout();
        TwoLayerStep step = new TwoLayerStep(kernels, loss, pool, model.classes(), model.dim(), model.hidden(),
                config.batchSize(), dropout, dropoutSeeds);
        TwoLayerEvaluator evaluator = new TwoLayerEvaluator(kernels, loss, pool, model.classes(), model.dim(),
                model.hidden());
        EpochDraws draws = new EpochDraws(config, n);
        EpochJudge<TwoLayerModel> judge = new EpochJudge<>(config, listener, trainingFigures,
                config.keepBest() ? model.copy() : null, TwoLayerModel::copyFrom);
        ParameterAverage average = config.averages() ? new ParameterAverage(new int[] {model.w1().length,
            model.b1().length, model.w2().length, model.b2().length}) : null;
        TwoLayerModel averaged = config.averages() ? model.copy() : null;
        LearningRateSchedule schedule = config.schedule();
        long steps = 0;
        int firstEpoch = 1;
        if (resumeFrom != null) {
            // the streams as the epochs and steps done left them, drawn again exactly as they drew them
            for (int e = 1; e <= resumeFrom.epoch(); e++) {
                draws.next();
            }
            if (dropout.active()) {
                for (long s = 0; s < resumeFrom.steps(); s++) {
                    dropoutSeeds.nextLong();
                }
            }
            model.copyFrom(resumeFrom.model());
            steps = resumeFrom.steps();
            firstEpoch = resumeFrom.epoch() + 1;
            TwoLayerModel lastJudged = model.copy();
            if (average != null && resumeFrom.averageCount() > 0) {
                average.restore(resumeFrom.averageCount(), resumeFrom.averageSums());
                average.meanInto(averaged.w1(), averaged.b1(), averaged.w2(), averaged.b2());
                lastJudged = averaged.copy();
            }
            judge.restore(resumeFrom.history(), resumeFrom.bestEpoch(), resumeFrom.bestAccuracy(), lastJudged,
                    resumeFrom.best());
        }
        for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
            long t0 = System.nanoTime();
            double eta = schedule.eta(config.eta(), epoch, config.epochs(), steps);
            boolean averaging = average != null && epoch >= config.averageFrom();
            draws.next();
            for (int from = 0; from < n; from += config.batchSize()) {
                int count = Math.min(config.batchSize(), n - from);
                if (schedule.perStep()) {
                    eta = schedule.eta(config.eta(), epoch, config.epochs(), steps);
                }
                step.step(model, train, draws.order(), from, count, eta, config.lambda(), draws.flipped(),
                        draws.moves());
                steps++;
                if (averaging) {
                    average.add(model.w1(), model.b1(), model.w2(), model.b2());
                }
            }
            TwoLayerModel judged = model;
            if (averaging) {
                average.meanInto(averaged.w1(), averaged.b1(), averaged.w2(), averaged.b2());
                judged = averaged;
            }
            long t1 = System.nanoTime();
            Evaluation validated = evaluator.evaluate(judged, validation, config.lambda(), null);
            Evaluation[] figures = trainingFigures
                    ? new Evaluation[] {evaluator.evaluate(judged, train, config.lambda(), null), validated}
                    : new Evaluation[] {validated};
            boolean stop = judge.judge(epoch, eta, figures, (t1 - t0) / 1e6, (System.nanoTime() - t1) / 1e6,
                    judged);
            if (checkpoints != null && judge.divergence == null) {
                checkpoints.accept(new TwoLayerTrainingState(epoch, steps, model.copy(), List.copyOf(judge.history),
                        judge.bestEpoch, judge.bestAccuracy, judge.best == null ? null : judge.best.copy(),
                        average == null ? null : average.sums(), average == null ? 0 : average.count()));
            }
            if (stop) {
                break;
            }
        }
        String divergence = judge.divergence;
        TwoLayerModel last = judge.lastJudged != null ? judge.lastJudged.copy() : model;
        TwoLayerModel chosen = judge.best != null && divergence == null ? judge.best : last;
        int chosenEpoch = judge.best != null && divergence == null ? judge.bestEpoch : judge.history.size();
        if (!trainingFigures && divergence == null && chosenEpoch > 0) {
            // the one training-set figure such a run reports: that of the model it returns
            EpochRecord r = judge.history.get(chosenEpoch - 1);
            judge.history.set(chosenEpoch - 1, new EpochRecord(r.epoch(), r.eta(),
                    evaluator.evaluate(chosen, train, config.lambda(), null), r.validation(), r.trainMillis(),
                    r.evalMillis()));
        }
        Evaluation testEval = null;
        ConfusionMatrix confusion = null;
        if (test != null && divergence == null) {
            int[] predictions = new int[test.size()];
            testEval = evaluator.evaluate(chosen, test, config.lambda(), predictions);
            confusion = ConfusionMatrix.of(chosen.classes(), test.labels(), predictions);
        }
        return new TwoLayerResult(initial, chosen, List.copyOf(judge.history), testEval, divergence,
                (System.nanoTime() - start) / 1e6, chosenEpoch, judge.bestEpoch, judge.stoppedEarly, confusion);
    }
}
