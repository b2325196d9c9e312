package org.vectrain.engine.train;

import java.util.List;
import java.util.SplittableRandom;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.data.SyntheticData;
import org.vectrain.engine.eval.Evaluator;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * Runs the training step and the evaluation pass on a small synthetic problem so that HotSpot
 * compiles the kernels before the real work needs them.
 *
 * <p>Why: until C2 compiles them, Vector API kernels run as interpreted or C1 code that allocates an
 * object per vector operation, many times slower, so the first epoch of a cold JVM would be far slower
 * than the rest. Started on its own thread while the data loads (which is I/O and page faults), the
 * warm-up costs little wall time. The results of the warm-up are thrown away; it uses no seed of the
 * run, so it cannot change any result.
 */
public final class KernelWarmup {
    /**
     * Dimensions of the warm-up problem: small, so each call is cheap even before compilation, but two
     * strips, so that the step's two column parts run on two threads as they do on real data, and C2
     * compiles the code those parts run (docs/performance.md). The batch is a whole number of sample quads
     * but not of vector lanes, so the softmax's scalar tail runs too, as it does for most n_batch.
     */
    static final int DIM = 2 * SgdStep.COLUMN_STRIP;
    static final int BATCH = 20;
    static final int STEPS = 1500;
    /** Steps per evaluation pass of the warm-up. */
    static final int EVALUATE_EVERY = 2;

    private KernelWarmup() {
    }

    /** Epochs of the run-shaped phase of {@link #run(Kernels, TrainConfig, int)}. */
    static final int SHAPED_EPOCHS = 6;
    /** Runs shorter than this many epochs skip the run-shaped phase. */
    static final int SHAPED_MIN_EPOCHS = 10;
    /** The largest n_batch the run-shaped phase takes from the run (larger runs warm up on batches of this). */
    static final int MAX_SHAPED_BATCH = 500;
    /** Batches per epoch of the run-shaped phase. */
    static final int SHAPED_BATCHES = 4;
    /** The epoch from which the run-shaped phase averages the weights, when the run averages at all. */
    private static final int SHAPED_AVERAGE_FROM = 2;

    /**
     * The warm-up of {@link #run(Kernels)}, then a few short epochs of a run like {@code config} on
     * {@code threads} threads: CIFAR-sized images, its n_batch, loss and augmentations, its evaluation (beside
     * training when {@code threads} is 2 or more), on seeded synthetic data.
     *
     * <p>Why: C2 compiles from the profile of what has run. The small problem alone leaves branches of the
     * real run untaken (the evaluation beside training, the image size's loop bounds, the augmentations), and
     * the run's first epochs would then stop on them, fall back to slower code and wait for C2 to compile the
     * kernels again, on the cores the run needs. Run here, those recompilations happen before the run starts.
     * A run of fewer than {@value #SHAPED_MIN_EPOCHS} epochs skips this phase: its own compilations would cost
     * it more than it saves.
     */
    public static void run(Kernels kernels, TrainConfig config, int threads) {
        run(kernels);
        if (config.epochs() < SHAPED_MIN_EPOCHS) {
            // too few epochs for the recompilations saved to repay the phase's own compilations
            return;
        }
        // the run's n_batch, but no larger than a few hundred images: the shape of a step, not the size of the data
        int batch = Math.max(1, Math.min(config.batchSize(), MAX_SHAPED_BATCH));
        DataSet train = SyntheticData.of("warm-up training", SHAPED_BATCHES * batch, LabeledImages.PIXELS,
                LabeledImages.CLASSES, 1);
        DataSet validation = SyntheticData.of("warm-up validation", batch, LabeledImages.PIXELS,
                LabeledImages.CLASSES, 2);
        DataSet test = SyntheticData.of("warm-up test", batch, LabeledImages.PIXELS, LabeledImages.CLASSES, 3);
        TrainConfig shaped = new TrainConfig(config.lambda(), config.eta(), batch, SHAPED_EPOCHS, config.seed(),
                config.shuffle(), config.zeroBias(), config.flip(), config.schedule(), config.keepBest(),
                config.patience(), config.loss(), config.translate(),
                config.averageFrom() > 0 ? SHAPED_AVERAGE_FROM : 0);
        Trainer.layOutForTraining(kernels, train, shaped, threads);
        SoftmaxModel initial = SoftmaxModel.gaussian(LabeledImages.CLASSES, LabeledImages.PIXELS,
                new SplittableRandom(4), config.zeroBias());
        try (WorkerPool pool = new WorkerPool(threads)) {
            new Trainer(kernels, pool).train(shaped, initial, train, validation, test, EpochListener.NONE);
        }
    }

    /** Runs the warm-up on the calling thread. */
    public static void run(Kernels kernels) {
        int n = 4 * BATCH;
        DataSet set = SyntheticData.of("warm-up", n, DIM, 10, 0);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        // Evaluated now and then: more than one chunk and a part of one, so that the evaluation runs in parts on
        // the pool's threads, as it does on real sets, and its last, short chunk is in the profile.
        DataSet evaluated = SyntheticData.of("warm-up evaluation", 2 * Evaluator.CHUNK + BATCH, DIM, 10, 5);
        SoftmaxModel model = SoftmaxModel.gaussian(10, DIM, new SplittableRandom(0), false);
        // Both shapes of the step, one after the other: one thread, then several. Alternating them step by
        // step would keep a worker spinning through the one-thread steps, a core taken from the compiler threads.
        int threads = Math.min(2, Runtime.getRuntime().availableProcessors());
        warmUp(kernels, 1, model, set, evaluated, rows, STEPS / 2);
        warmUp(kernels, threads, model, set, evaluated, rows, STEPS - STEPS / 2);
    }

    private static void warmUp(Kernels kernels, int threads, SoftmaxModel model, DataSet set, DataSet evaluated,
            int[] rows, int steps) {
        try (WorkerPool pool = new WorkerPool(threads)) {
            SgdStep step = new SgdStep(kernels, pool, 10, DIM, BATCH);
            Evaluator evaluator = new Evaluator(kernels, pool, 10);
            SoftmaxModel judged = model.copy();
            List<DataSet> sets = List.of(set);
            int[] predictions = new int[set.size()];
            for (int i = 0; i < steps; i++) {
                // On several threads, one step in 2 EVALUATE_EVERY runs beside an evaluation pass, as a run's steps do
                // while the last epoch is evaluated: the pool's one-thread path and the step's branches for it are
                // then in the profile C2 compiles the step from, and meeting them in the run does not throw the
                // compiled step away.
                boolean aside = threads > 1 && i % (2 * EVALUATE_EVERY) == 1;
                if (aside) {
                    evaluator.startAside(judged, sets, 0.01);
                }
                step.step(model, set, rows, (i % 4) * BATCH, BATCH, 1e-4, 0.01);
                if (aside) {
                    evaluator.finishAside();
                }
                // Often, so that C2 is asked early for the evaluation's block kernel and a run's first
                // evaluation does not wait for its compilation; some passes with the predictions a run's last
                // evaluation of the test set asks for.
                if (i % (8 * EVALUATE_EVERY) == EVALUATE_EVERY) {
                    evaluator.evaluate(model, evaluated, 0.01, null);
                } else if (i % EVALUATE_EVERY == 0) {
                    evaluator.evaluate(model, set, 0.01, i % (4 * EVALUATE_EVERY) == 0 ? predictions : null);
                }
            }
        }
    }
}
