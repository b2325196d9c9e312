package org.vectrain.engine.bench;

import org.vectrain.engine.Medians;
import org.vectrain.engine.eval.Evaluator;
import org.vectrain.engine.model.DataSet;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.simd.Kernels;
import org.vectrain.engine.train.RandomStreams;
import org.vectrain.engine.train.SgdStep;

/**
 * Times whole epochs as the experiments run them: a training pass over the training set in batches,
 * then an evaluation pass (loss, cost, accuracy) over the training, validation and test sets. Reports
 * medians over the measured epochs, after warm-up epochs that are not counted.
 */
public final class EpochBenchmark {
    private EpochBenchmark() {
    }

    /**
     * Median times and work of one epoch.
     *
     * @param trainMillis training pass
     * @param evalMillis evaluation of the three sets
     * @param trainFlops floating-point work of the training pass: two GEMMs of 2 K D N flops each
     * @param evalFlops of the evaluation: one GEMM of 2 K D n per set
     * @param evalBytes image bytes the evaluation reads (each image once)
     * @param epochs measured epochs
     */
    public record Result(double trainMillis, double evalMillis, double trainFlops, double evalFlops, long evalBytes,
            int epochs) {
        public double epochMillis() {
            return trainMillis + evalMillis;
        }

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
     * Runs {@code warmup + epochs} epochs with batches of {@code batch}, in order, λ = 0.1 and
     * η = 0.001 (the figures do not depend on them), from a seeded N(0, 0.01²) model.
     */
    public static Result run(Kernels kernels, int threads, DataSet train, DataSet validation, DataSet test, int batch,
            int warmup, int epochs) {
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
        try (WorkerPool pool = new WorkerPool(threads)) {
            SgdStep step = new SgdStep(kernels, pool, classes, dim, batch);
            Evaluator evaluator = new Evaluator(kernels, pool, classes);
            for (int e = 0; e < warmup + epochs; e++) {
                long t0 = System.nanoTime();
                for (int from = 0; from < n; from += batch) {
                    step.step(model, train, rows, from, Math.min(batch, n - from), 0.001, 0.1);
                }
                long t1 = System.nanoTime();
                evaluator.evaluate(model, train, 0.1, null);
                evaluator.evaluate(model, validation, 0.1, null);
                evaluator.evaluate(model, test, 0.1, null);
                long t2 = System.nanoTime();
                if (e >= warmup) {
                    trainMs[e - warmup] = (t1 - t0) / 1e6;
                    evalMs[e - warmup] = (t2 - t1) / 1e6;
                }
            }
        }
        long evalImages = (long) train.size() + validation.size() + test.size();
        return new Result(Medians.of(trainMs), Medians.of(evalMs), 4.0 * classes * dim * n, 2.0 * classes * dim * evalImages,
                evalImages * dim, epochs);
    }
}
