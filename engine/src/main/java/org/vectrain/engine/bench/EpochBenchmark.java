package org.vectrain.engine.bench;

import java.util.List;
import org.vectrain.engine.Medians;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.eval.Evaluator;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.train.RandomStreams;
import org.vectrain.engine.train.SgdStep;
import org.vectrain.engine.train.StepProfile;

/**
 * Times whole epochs as the experiments run them: a training pass over the training set in batches,
 * then one evaluation pass (loss, cost, accuracy) over the training, validation and test sets. Reports
 * medians over the measured epochs, after warm-up epochs that are not counted.
 *
 * <p>Warm-up runs its minimum number of epochs and then goes on until the JIT has compiled nothing for
 * {@link #QUIET_EPOCHS} epochs in a row: on two cores the compiler threads take a core from the epoch
 * they run in, and C2 can go on compiling long after a fixed number of warm-up epochs, slowing the
 * epochs it compiles in (docs/performance.md).
 */
public final class EpochBenchmark {
    /**
     * Epochs in a row without JIT compilation that end the warm-up. Fewer let the JIT wake up again during
     * the first measured epochs (docs/performance.md).
     */
    public static final int QUIET_EPOCHS = 10;
    /** Warm-up epochs beyond the minimum at most, for a JIT that never goes quiet. */
    public static final int MAX_EXTRA_WARMUP = 100;

    private EpochBenchmark() {
    }

    /**
     * Median times and work of one epoch.
     *
     * @param trainMillis training pass
     * @param evalMillis evaluation of the three sets
     * @param epochMillis one epoch: the two passes one after the other, or, overlapped, the time from the end of
     *     one epoch's evaluation to the end of the next one's
     * @param overlapped whether each epoch's evaluation ran beside the next epoch's training pass
     * @param trainFlops floating-point work of the training pass: two GEMMs of 2 K D N flops each
     * @param evalFlops of the evaluation: one GEMM of 2 K D n per set
     * @param evalBytes image bytes the evaluation reads (each image once)
     * @param epochs measured epochs
     * @param warmupEpochs warm-up epochs run before them
     * @param jitQuiet whether the warm-up ended with the JIT quiet (false: it reached its cap, or this JVM
     *     does not report compilation time)
     * @param phases where a training step's time goes, when asked for; null otherwise
     */
    public record Result(double trainMillis, double evalMillis, double epochMillis, boolean overlapped,
            double trainFlops, double evalFlops, long evalBytes, int epochs, int warmupEpochs, boolean jitQuiet,
            StepPhases phases) {

        public double trainGflops() {
            return trainFlops / trainMillis / 1e6;
        }

        public double evalGflops() {
            return evalFlops / evalMillis / 1e6;
        }

        public double evalGbs() {
            return evalBytes / evalMillis / 1e6;
        }
    }

    /**
     * The phases of a training step, µs per step: per measured epoch the mean over its steps, then the
     * median over the epochs (see {@link StepProfile} for what each phase holds).
     *
     * @param forwardParts busy time of each column part in the forward phase
     * @param updateParts busy time of each column part in the update phase
     */
    public record StepPhases(double step, double forward, double serial, double update, double[] forwardParts,
            double[] updateParts) {
    }

    /**
     * As {@link #run(Kernels, int, DataSet, DataSet, DataSet, int, int, int, boolean, boolean)}, without step
     * phases, overlapped where there are threads for it.
     */
    public static Result run(Kernels kernels, int threads, DataSet train, DataSet validation, DataSet test, int batch,
            int minWarmup, int epochs) {
        return run(kernels, threads, train, validation, test, batch, minWarmup, epochs, false, true);
    }

    /**
     * Runs at least {@code minWarmup} warm-up epochs (see the class comment for when it runs more; none
     * at all when it is 0, to time epochs from a cold start), then
     * {@code epochs} measured ones, with batches of {@code batch}, in order, λ = 0.1 and η = 0.001 (the
     * figures do not depend on them), from a seeded N(0, 0.01²) model. With {@code timePhases} the measured
     * epochs also time the phases of every training step ({@link SgdStep#profile}).
     *
     * <p>With {@code overlap} and at least two threads, each epoch's evaluation (of a copy of the model) runs
     * on one worker beside the next epoch's training pass, as {@link org.vectrain.engine.train.Trainer} runs
     * them; the steps run on the other thread alone until the evaluation is done, then on all, and the
     * evaluation's last chunks are shared when the training pass ends first. An epoch is then timed from the
     * end of one evaluation to the end of the next. Without warm-up ({@code minWarmup} 0) the passes run one
     * after the other.
     */
    public static Result run(Kernels kernels, int threads, DataSet train, DataSet validation, DataSet test, int batch,
            int minWarmup, int epochs, boolean timePhases, boolean overlap) {
        int classes = 10;
        int dim = train.dim();
        SoftmaxModel model = SoftmaxModel.gaussian(classes, dim, new RandomStreams(1).init(), false);
        int n = train.size();
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        double[] trainMs = new double[epochs];
        double[] evalMs = new double[epochs];
        double[] epochMs = new double[epochs];
        // a cold start (no warm-up) times each epoch with its own evaluation: the first has no evaluation before it
        boolean overlapped = overlap && threads >= 2 && minWarmup > 0;
        JitQuietWarmup warmup = new JitQuietWarmup(minWarmup);
        StepProfile profile = new StepProfile();
        int parts = SgdStep.COLUMN_PARTS;
        double[][] phaseMicros = new double[4 + 2 * parts][epochs];
        SgdStep.layOutForTraining(kernels, train, threads, batch, true);
        try (WorkerPool pool = new WorkerPool(threads)) {
            SgdStep step = new SgdStep(kernels, pool, classes, dim, batch);
            Evaluator evaluator = new Evaluator(kernels, pool, classes);
            SoftmaxModel evaluated = model.copy();
            long lastEpochEnd = System.nanoTime();
            List<DataSet> sets = List.of(train, validation, test);
            int measured = 0;
            if (timePhases) {
                // from the warm-up on, so that the JIT has compiled the timed step before it is measured
                step.profile(profile);
            }
            while (measured < epochs) {
                profile.reset();
                long t0 = System.nanoTime();
                for (int from = 0; from < n; from += batch) {
                    step.step(model, train, rows, from, Math.min(batch, n - from), 0.001, 0.1);
                }
                long t1 = System.nanoTime();
                double evalMillis;
                long t2;
                if (overlapped) {
                    // the previous epoch's evaluation ends (it may have finished long ago), this one's starts
                    if (evaluator.runsAside()) {
                        evaluator.finishAside();
                    }
                    evalMillis = evaluator.lastAsideMillis();
                    t2 = System.nanoTime();
                    evaluated.copyFrom(model);
                    evaluator.startAside(evaluated, sets, 0.1);
                } else {
                    evaluator.evaluate(model, sets, 0.1);
                    t2 = System.nanoTime();
                    evalMillis = (t2 - t1) / 1e6;
                }
                // overlapped, epoch e's time runs from the end of evaluation e - 2 to the end of e - 1
                double epochMillis = overlapped ? (t2 - lastEpochEnd) / 1e6 : (t2 - t0) / 1e6;
                lastEpochEnd = t2;
                if (warmup.warming()) {
                    warmup.epochDone();
                } else {
                    trainMs[measured] = (t1 - t0) / 1e6;
                    evalMs[measured] = evalMillis;
                    epochMs[measured] = epochMillis;
                    if (timePhases) {
                        phaseMicros[0][measured] = profile.stepMicros();
                        phaseMicros[1][measured] = profile.forwardMicros();
                        phaseMicros[2][measured] = profile.serialMicros();
                        phaseMicros[3][measured] = profile.updateMicros();
                        for (int p = 0; p < parts; p++) {
                            phaseMicros[4 + p][measured] = profile.forwardPartMicros(p);
                            phaseMicros[4 + parts + p][measured] = profile.updatePartMicros(p);
                        }
                    }
                    measured++;
                }
            }
            if (evaluator.runsAside()) {
                evaluator.finishAside();
            }
        }
        long evalImages = (long) train.size() + validation.size() + test.size();
        StepPhases phases = null;
        if (timePhases) {
            double[] forwardParts = new double[parts];
            double[] updateParts = new double[parts];
            for (int p = 0; p < parts; p++) {
                forwardParts[p] = Medians.of(phaseMicros[4 + p]);
                updateParts[p] = Medians.of(phaseMicros[4 + parts + p]);
            }
            phases = new StepPhases(Medians.of(phaseMicros[0]), Medians.of(phaseMicros[1]),
                    Medians.of(phaseMicros[2]), Medians.of(phaseMicros[3]), forwardParts, updateParts);
        }
        return new Result(Medians.of(trainMs), Medians.of(evalMs), Medians.of(epochMs), overlapped,
                4.0 * classes * dim * n, 2.0 * classes * dim * evalImages, evalImages * dim, epochs, warmup.epochs(),
                warmup.jitQuiet(), phases);
    }
}
