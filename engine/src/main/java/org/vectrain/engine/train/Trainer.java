package org.vectrain.engine.train;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.eval.ConfusionMatrix;
import org.vectrain.engine.eval.Evaluation;
import org.vectrain.engine.eval.Evaluator;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.LossKernel;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * Mini-batch gradient descent with L2 regularisation: after every epoch the model is evaluated on the
 * training and validation sets; at the end, on the test set. A non-finite loss stops the run and is
 * recorded as its divergence, not thrown.
 *
 * <p>Extras, all off by default (then the run is the assignment's, bit for bit): a fresh sample order
 * per epoch (shuffle stream), a left-right flip of each image with probability 1/2 per epoch
 * (augmentation stream), a small translation of each image per epoch (translation stream), a
 * learning-rate schedule (per epoch, or per update step for the cyclical one; the history logs the η of
 * each epoch's last update), averaging of the parameters over the update steps of the run's tail, and
 * model selection on validation accuracy with optional early stopping. Selection never looks at the test
 * set.
 *
 * <p>On a pool of two threads or more, each epoch's evaluation runs on one worker, from a copy of the model,
 * beside the next epoch's training pass ({@link Evaluator#startAside}), and the epoch is judged when that
 * pass is done: the same figures, records, listener calls and selection as one epoch at a time, one pass
 * later. A run that stops (divergence, early stopping) drops the pass that ran ahead and ends with the
 * model of the epoch it stopped at.
 */
public final class Trainer {
    /** The training-set figures of an epoch whose training set was not evaluated. */
    public static final Evaluation NOT_MEASURED = new Evaluation(Double.NaN, Double.NaN, Double.NaN, 0, 0);

    private final Kernels kernels;
    private final WorkerPool pool;

    public Trainer(Kernels kernels, WorkerPool pool) {
        this.kernels = kernels;
        this.pool = pool;
    }

    /**
     * Makes the layout of {@code train} that the steps of {@code config} on a pool of {@code threads} threads
     * read ({@link SgdStep#layOutForTraining}), now rather than in the first step; nothing for augmented
     * training, whose steps copy each batch.
     */
    public static void layOutForTraining(Kernels kernels, DataSet train, TrainConfig config, int threads) {
        if (!config.flip() && config.translate() == 0) {
            SgdStep.layOutForTraining(kernels, train, threads, config.batchSize(), !config.shuffle());
        }
    }

    /**
     * Trains a model from {@code initial} (left untouched) on {@code train}.
     *
     * @param test evaluated once at the end; may be null
     */
    public TrainResult train(TrainConfig config, SoftmaxModel initial, DataSet train, DataSet validation,
            DataSet test, EpochListener listener) {
        return train(config, initial, train, validation, test, listener, true);
    }

    /**
     * As {@link #train(TrainConfig, SoftmaxModel, DataSet, DataSet, DataSet, EpochListener)}; with
     * {@code trainingFigures} false the training set is evaluated only once, after the last epoch, for the
     * returned model, and the other epochs record {@link #NOT_MEASURED} for it. A search, which judges on
     * validation only, saves the training set's evaluation of every other epoch this way; the trained weights
     * are the same.
     */
    public TrainResult train(TrainConfig config, SoftmaxModel initial, DataSet train, DataSet validation,
            DataSet test, EpochListener listener, boolean trainingFigures) {
        return train(config, initial, train, validation, test, listener, trainingFigures, null, null);
    }

    /**
     * As {@link #train(TrainConfig, SoftmaxModel, DataSet, DataSet, DataSet, EpochListener, boolean)}, continuing
     * from {@code resumeFrom} (null: from the start) and handing the state after every judged epoch that did not
     * diverge to {@code checkpoints} (null: none). A run continued from the state of its epoch k gives the same
     * bits as the run in one go: the random streams are drawn again for epochs 1..k (exactly as those epochs
     * drew them) and the model, step count, averaging sums, history and best epoch come from the state.
     * {@code config} must be the run's own, its epoch count at least k.
     */
    public TrainResult train(TrainConfig config, SoftmaxModel initial, DataSet train, DataSet validation,
            DataSet test, EpochListener listener, boolean trainingFigures, TrainingState resumeFrom,
            Consumer<TrainingState> checkpoints) {
        if (resumeFrom != null && resumeFrom.epoch() > config.epochs()) {
            throw new InputException("epochs", "must be at least the " + resumeFrom.epoch()
                    + " epochs the run has done, was " + config.epochs());
        }
        checkData(config, initial.dim(), train, validation, test);
        int n = train.size();
        long start = System.nanoTime();
        SoftmaxModel model = initial.copy();
        LossKernel loss = config.loss().kernel(kernels);
        SgdStep step = new SgdStep(kernels, pool, model.classes(), model.dim(), config.batchSize(), loss);
        Evaluator evaluator = new Evaluator(kernels, pool, model.classes(), loss);
        EpochDraws draws = new EpochDraws(config, n);
        int[] order = draws.order();
        boolean[] flipped = draws.flipped();
        byte[] moves = draws.moves();
        EpochJudge<SoftmaxModel> judge = new EpochJudge<>(config, listener, trainingFigures,
                config.keepBest() ? model.copy() : null, SoftmaxModel::copyFrom);
        // with averaging, the model every epoch from averageFrom on is judged by (and may end with) is the mean
        ParameterAverage average = config.averages() ? new ParameterAverage(model.classes(), model.dim()) : null;
        SoftmaxModel averaged = config.averages() ? model.copy() : null;
        LearningRateSchedule schedule = config.schedule();
        List<DataSet> judgedSets = trainingFigures ? List.of(train, validation) : List.of(validation);
        // Overlapped, epoch e is evaluated on one worker, from a copy, while epoch e + 1 trains (the steps run
        // on the caller alone until the evaluation is done), and judged after that pass: one epoch later, on
        // the same figures. A stop then throws away the pass that ran ahead.
        boolean overlap = pool.threads() >= 2;
        SoftmaxModel[] copies = overlap ? new SoftmaxModel[] {model.copy(), model.copy()} : null;
        Pending pending = null;
        long steps = 0;
        int firstEpoch = 1;
        if (resumeFrom != null) {
            // the streams as the first resumeFrom.epoch() epochs left them, drawn again exactly as they drew them
            for (int e = 1; e <= resumeFrom.epoch(); e++) {
                draws.next();
            }
            model.copyFrom(resumeFrom.model());
            steps = resumeFrom.steps();
            firstEpoch = resumeFrom.epoch() + 1;
            SoftmaxModel lastJudged = model.copy();
            if (average != null && resumeFrom.averageCount() > 0) {
                average.restore(resumeFrom.averageCount(), resumeFrom.averageW(), resumeFrom.averageB());
                average.meanInto(averaged);
                lastJudged = averaged.copy();
            }
            judge.restore(resumeFrom.history(), resumeFrom.bestEpoch(), resumeFrom.bestAccuracy(),
                    resumeFrom.epoch() > 0 ? lastJudged : null, resumeFrom.best());
        }
        try {
            for (int epoch = firstEpoch; epoch <= config.epochs() + (overlap ? 1 : 0); epoch++) {
                boolean training = epoch <= config.epochs();
                double eta = 0;
                long t0 = System.nanoTime();
                SoftmaxModel judged = model;
                if (training) {
                    eta = schedule.eta(config.eta(), epoch, config.epochs(), steps);
                    boolean averaging = average != null && epoch >= config.averageFrom();
                    draws.next();
                    for (int from = 0; from < n; from += config.batchSize()) {
                        int count = Math.min(config.batchSize(), n - from);
                        if (schedule.perStep()) {
                            eta = schedule.eta(config.eta(), epoch, config.epochs(), steps);
                        }
                        step.step(model, train, order, from, count, eta, config.lambda(), flipped, moves);
                        steps++;
                        if (averaging) {
                            average.add(model);
                        }
                    }
                    if (averaging) {
                        average.meanInto(averaged);
                        judged = averaged;
                    }
                }
                // what a checkpoint of this epoch needs beyond the judge's records: the model training goes on
                // from, the step count and the averaging sums, as they are now
                Snapshot snapshot = training && checkpoints != null ? new Snapshot(model.copy(), steps,
                        average == null ? null : average.copy()) : null;
                long t1 = System.nanoTime();
                double trainMillis = (t1 - t0) / 1e6;
                boolean stop;
                if (overlap) {
                    stop = pending != null && judge.judge(pending.epoch, pending.eta,
                            evaluator.finishAside(), pending.trainMillis, evaluator.lastAsideMillis(), pending.model);
                    if (pending != null) {
                        checkpoint(checkpoints, judge, pending.epoch, pending.snapshot);
                    }
                    if (training && !stop) {
                        SoftmaxModel copy = copies[epoch % 2];
                        copy.copyFrom(judged);
                        evaluator.startAside(copy, judgedSets, config.lambda());
                        pending = new Pending(epoch, eta, trainMillis, copy, snapshot);
                    }
                } else {
                    Evaluation[] figures = evaluator.evaluate(judged, judgedSets, config.lambda());
                    stop = judge.judge(epoch, eta, figures, trainMillis, (System.nanoTime() - t1) / 1e6, judged);
                    checkpoint(checkpoints, judge, epoch, snapshot);
                }
                if (stop) {
                    break;
                }
            }
        } finally {
            if (evaluator.runsAside()) {
                // only when a step or the listener threw: that exception says more than one the evaluation threw
                try {
                    evaluator.finishAside();
                } catch (RuntimeException | Error second) {
                    // dropped: the first exception is on its way out
                }
            }
        }
        List<EpochRecord> history = judge.history;
        String divergence = judge.divergence;
        // the model the last judged epoch ended with: judged (averaged or not) is the one it ends with
        SoftmaxModel last = judge.lastJudged != null ? judge.lastJudged : model;
        SoftmaxModel chosen = judge.best != null && divergence == null ? judge.best : last;
        int chosenEpoch = judge.best != null && divergence == null ? judge.bestEpoch : history.size();
        if (!trainingFigures && divergence == null && chosenEpoch > 0) {
            // the one training-set figure a search reports: that of the model it returns
            EpochRecord r = history.get(chosenEpoch - 1);
            history.set(chosenEpoch - 1, new EpochRecord(r.epoch(), r.eta(),
                    evaluator.evaluate(chosen, train, config.lambda(), null), r.validation(), r.trainMillis(),
                    r.evalMillis()));
        }
        Evaluation testEval = null;
        ConfusionMatrix confusion = null;
        if (test != null && divergence == null) {
            // the predictions come out of the same pass that measures loss and accuracy
            int[] predictions = new int[test.size()];
            testEval = evaluator.evaluate(chosen, test, config.lambda(), predictions);
            confusion = ConfusionMatrix.of(chosen.classes(), test.labels(), predictions);
        }
        return new TrainResult(initial, chosen, List.copyOf(history), testEval, divergence,
                (System.nanoTime() - start) / 1e6, chosenEpoch, judge.bestEpoch, judge.stoppedEarly, confusion);
    }

    /**
     * An epoch trained and being evaluated aside: what its record needs, the copy being evaluated, and the
     * state for its checkpoint (null without checkpoints).
     */
    private record Pending(int epoch, double eta, double trainMillis, SoftmaxModel model, Snapshot snapshot) {
    }

    /** The training state at the end of an epoch's pass, kept until the epoch is judged. */
    private record Snapshot(SoftmaxModel model, long steps, ParameterAverage average) {
    }

    /** Hands the state after judged epoch {@code epoch} to {@code checkpoints}, unless the run diverged. */
    private static void checkpoint(Consumer<TrainingState> checkpoints, EpochJudge<SoftmaxModel> judge, int epoch,
            Snapshot snapshot) {
        if (checkpoints == null || snapshot == null || judge.divergence != null) {
            return;
        }
        ParameterAverage a = snapshot.average();
        checkpoints.accept(new TrainingState(epoch, snapshot.steps(), snapshot.model(), List.copyOf(judge.history),
                judge.bestEpoch, judge.bestAccuracy, judge.best == null ? null : judge.best.copy(),
                a == null ? null : a.sumW(), a == null ? null : a.sumB(), a == null ? 0 : a.count()));
    }

    /**
     * Refuses data a run of {@code config} cannot train a model of {@code dim} dimensions on: an empty training or
     * validation set, sets of another dimension, flips or translations of data that are not CIFAR images, a batch
     * larger than the training set. For both trainers.
     */
    static void checkData(TrainConfig config, int dim, DataSet train, DataSet validation, DataSet test) {
        int n = train.size();
        if (n == 0) {
            throw new InputException("training set is empty");
        }
        if (validation.size() == 0) {
            throw new InputException("validation set is empty");
        }
        if (train.dim() != dim || validation.dim() != dim || (test != null && test.dim() != dim)) {
            throw new IllegalArgumentException("data of dimension " + train.dim() + " for a model of dimension " + dim);
        }
        if (config.flip() && train.dim() != LabeledImages.PIXELS) {
            throw new InputException("flip", "needs CIFAR images of " + LabeledImages.PIXELS + " pixels, the data has "
                    + train.dim() + " dimensions");
        }
        if (config.translate() > 0 && train.dim() != LabeledImages.PIXELS) {
            throw new InputException("translate", "needs CIFAR images of " + LabeledImages.PIXELS
                    + " pixels, the data has " + train.dim() + " dimensions");
        }
        if (config.batchSize() > n) {
            throw new InputException("batchSize", "must be at most the size of the training set (" + n
                    + " images), was " + config.batchSize());
        }
    }

    /** Fisher-Yates in place, from {@code random}. */
    static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
