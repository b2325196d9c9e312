package org.vectrain.engine.bench;

import org.vectrain.engine.Medians;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.eval.TwoLayerEvaluator;
import org.vectrain.engine.kernels.LossKernel;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.model.TwoLayerModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.train.RandomStreams;
import org.vectrain.engine.train.TwoLayerStep;

/**
 * Times whole epochs of the two-layer network as {@link EpochBenchmark} does the one-layer model's: a training pass
 * in batches, in order, then one evaluation pass over the training, validation and test sets, one after the other;
 * medians over the measured epochs after a warm-up that ends when the JIT has been quiet for
 * {@link EpochBenchmark#QUIET_EPOCHS} epochs (or at its cap). The work counted is the two products with D of each
 * training step ({@code 2 m D n} flops each: the forward product and dW1), the forward product of every evaluated
 * image, and the second layer's products (K x m), which are small beside them.
 */
public final class TwoLayerEpochBenchmark {
    private static final int CLASSES = 10;

    private TwoLayerEpochBenchmark() {
    }

    /**
     * Runs at least {@code minWarmup} warm-up epochs, then {@code epochs} measured ones, with batches of
     * {@code batch}, λ = 0.1 and η = 0.001, from the assignment's initialisation of a network of {@code hidden}
     * units, seeded.
     */
    public static EpochBenchmark.Result run(TwoLayerKernels kernels, LossKernel loss, int threads, DataSet train,
            DataSet validation, DataSet test, int hidden, int batch, int minWarmup, int epochs) {
        int dim = train.dim();
        TwoLayerModel model = TwoLayerModel.gaussian(CLASSES, dim, hidden, TwoLayerKernels.weightStride(dim),
                new RandomStreams(1).init());
        int n = train.size();
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        double[] trainMs = new double[epochs];
        double[] evalMs = new double[epochs];
        double[] epochMs = new double[epochs];
        JitQuietWarmup warmup = new JitQuietWarmup(minWarmup);
        try (WorkerPool pool = new WorkerPool(threads)) {
            TwoLayerStep step = new TwoLayerStep(kernels, loss, pool, CLASSES, dim, hidden, batch);
            TwoLayerEvaluator evaluator = new TwoLayerEvaluator(kernels, loss, pool, CLASSES, dim, hidden);
            int measured = 0;
            while (measured < epochs) {
                long t0 = System.nanoTime();
                for (int from = 0; from < n; from += batch) {
                    step.step(model, train, rows, from, Math.min(batch, n - from), 0.001, 0.1, null, null);
                }
                long t1 = System.nanoTime();
                evaluator.evaluate(model, train, 0.1, null);
                evaluator.evaluate(model, validation, 0.1, null);
                evaluator.evaluate(model, test, 0.1, null);
                long t2 = System.nanoTime();
                if (warmup.warming()) {
                    warmup.epochDone();
                } else {
                    trainMs[measured] = (t1 - t0) / 1e6;
                    evalMs[measured] = (t2 - t1) / 1e6;
                    epochMs[measured] = (t2 - t0) / 1e6;
                    measured++;
                }
            }
        }
        long evalImages = (long) train.size() + validation.size() + test.size();
        double perImage = 2.0 * hidden * dim + 2.0 * CLASSES * hidden;
        return new EpochBenchmark.Result(Medians.of(trainMs), Medians.of(evalMs), Medians.of(epochMs), false,
                2 * perImage * n, perImage * evalImages, evalImages * dim, epochs, warmup.epochs(),
                warmup.jitQuiet(), null);
    }
}
