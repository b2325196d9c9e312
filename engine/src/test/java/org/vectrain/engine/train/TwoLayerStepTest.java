package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.SyntheticData;
import org.vectrain.engine.eval.Evaluation;
import org.vectrain.engine.eval.TwoLayerEvaluator;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.TwoLayerModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.reference.DoubleReference;
import org.vectrain.engine.reference.TwoLayerReference;

/**
 * The two-layer step and evaluation with the kernels this JVM runs, against the double reference: gradients within
 * 1e-4 of the largest reference entry of each array (float sums of up to D terms), the step exactly the
 * gradient step, and the bits the same on one thread and on two.
 */
class TwoLayerStepTest {
    private static final int CLASSES = 10;
    private final TwoLayerKernels kernels = KernelProvider.twoLayerKernels();
    private final Kernels oneLayer = KernelProvider.kernels();

    private static TwoLayerModel network(int dim, int hidden, long seed) {
        return TwoLayerModel.gaussian(CLASSES, dim, hidden, TwoLayerKernels.weightStride(dim), new SplittableRandom(seed));
    }

    private static int[] rows(int n, int size) {
        int[] rows = new int[n];
        for (int j = 0; j < n; j++) {
            rows[j] = (j * 7 + 1) % size;
        }
        return rows;
    }

    private static TwoLayerReference.Parameters parameters(TwoLayerModel model) {
        return new TwoLayerReference.Parameters(DoubleReference.widen(model.w1Rows()), DoubleReference.widen(model.b1()),
                DoubleReference.widen(model.w2()), DoubleReference.widen(model.b2()), CLASSES, model.dim(),
                model.hidden());
    }

    private static void assertClose(double[] expected, float[] actual, int stride, int dim, String what) {
        double largest = 0;
        for (double v : expected) {
            largest = Math.max(largest, Math.abs(v));
        }
        int rowsCount = expected.length / dim;
        for (int r = 0; r < rowsCount; r++) {
            for (int d = 0; d < dim; d++) {
                double diff = Math.abs(actual[r * stride + d] - expected[r * dim + d]);
                assertTrue(diff <= 1e-4 * largest + 1e-7, what + " at " + r + ", " + d + ": " + actual[r * stride + d]
                        + " against " + expected[r * dim + d]);
            }
        }
    }

    @Test
    void gradientsMatchTheDoubleReference() {
        int dim = 301;
        int hidden = 17;
        DataSet set = SyntheticData.of("train", 41, dim, CLASSES, 5);
        TwoLayerModel model = network(dim, hidden, 9);
        int[] rows = rows(23, set.size());
        float[][] gradients = new float[4][];
        try (WorkerPool pool = new WorkerPool(2)) {
            TwoLayerStep step = new TwoLayerStep(kernels, oneLayer::softmaxCrossEntropy, pool, CLASSES, dim, hidden,
                    32);
            double loss = step.gradients(model, set, rows, 0, rows.length, 0.01, gradients);
            double[] x = DoubleReference.features(set);
            TwoLayerReference.Gradients expected = TwoLayerReference.gradients(parameters(model), x, set.labels(),
                    rows, 0.01);
            assertEquals(TwoLayerReference.loss(parameters(model), x, set.labels(), rows), loss, 1e-5);
            assertClose(expected.w1(), gradients[0], model.stride(), dim, "dW1");
            assertClose(expected.b1(), gradients[1], 1, 1, "db1");
            assertClose(expected.w2(), gradients[2], hidden, hidden, "dW2");
            assertClose(expected.b2(), gradients[3], 1, 1, "db2");
            for (int i = 0; i < hidden; i++) {
                for (int d = dim; d < model.stride(); d++) {
                    assertEquals(0f, gradients[0][i * model.stride() + d], "dW1 past D");
                }
            }
        }
    }

    @Test
    void aStepIsTheGradientStepAndUnflippedCopiesChangeNothing() {
        int dim = 3072;
        int hidden = 50;
        DataSet set = SyntheticData.of("train", 130, dim, CLASSES, 6);
        TwoLayerModel model = network(dim, hidden, 10);
        int[] rows = rows(100, set.size());
        try (WorkerPool pool = new WorkerPool(2)) {
            TwoLayerStep step = new TwoLayerStep(kernels, oneLayer::softmaxCrossEntropy, pool, CLASSES, dim, hidden,
                    100);
            float[][] gradients = new float[4][];
            step.gradients(model, set, rows, 0, 100, 0.005, gradients);
            TwoLayerModel stepped = model.copy();
            step.step(stepped, set, rows, 0, 100, 0.1, 0.005, null, null);
            float[][] before = {model.w1(), model.b1(), model.w2(), model.b2()};
            float[][] after = {stepped.w1(), stepped.b1(), stepped.w2(), stepped.b2()};
            for (int a = 0; a < 4; a++) {
                for (int i = 0; i < before[a].length; i++) {
                    assertEquals(Math.fma(-0.1f, gradients[a][i], before[a][i]), after[a][i], "array " + a + ", " + i);
                }
            }
            TwoLayerModel copied = model.copy();
            step.step(copied, set, rows, 0, 100, 0.1, 0.005, new boolean[set.size()], new byte[2 * set.size()]);
            assertArrayEquals(stepped.w1(), copied.w1());
            assertArrayEquals(stepped.w2(), copied.w2());
        }
    }

    @Test
    void stepsAndEvaluationGiveTheSameBitsOnOneThreadAndTwo() {
        // 100: every part packs the batch for itself; 200: beyond TwoLayerStep.PRIVATE_PACK_FLOATS, packed shared
        for (int batch : new int[] {100, 200}) {
            boolean privateCopies = TwoLayerKernels.packedLength(batch, 3072) <= TwoLayerStep.PRIVATE_PACK_FLOATS;
            assertEquals(batch == 100, privateCopies, "batch " + batch);
            sameBitsOnOneThreadAndTwo(batch);
        }
    }

    private void sameBitsOnOneThreadAndTwo(int batch) {
        int dim = 3072;
        int hidden = 50;
        DataSet set = SyntheticData.of("train", 300, dim, CLASSES, 7);
        TwoLayerModel[] models = new TwoLayerModel[2];
        Evaluation[] figures = new Evaluation[2];
        int[][] predictions = new int[2][set.size()];
        for (int threads = 1; threads <= 2; threads++) {
            TwoLayerModel model = network(dim, hidden, 11);
            try (WorkerPool pool = new WorkerPool(threads)) {
                TwoLayerStep step = new TwoLayerStep(kernels, oneLayer::softmaxCrossEntropy, pool, CLASSES, dim,
                        hidden, batch);
                int[] order = rows(set.size(), set.size());
                for (int from = 0; from < set.size(); from += batch) {
                    step.step(model, set, order, from, Math.min(batch, set.size() - from), 0.05, 0.001, null, null);
                }
                TwoLayerEvaluator evaluator = new TwoLayerEvaluator(kernels, oneLayer::softmaxCrossEntropy, pool,
                        CLASSES, dim, hidden);
                figures[threads - 1] = evaluator.evaluate(model, set, 0.001, predictions[threads - 1]);
            }
            models[threads - 1] = model;
        }
        assertArrayEquals(models[0].w1(), models[1].w1());
        assertArrayEquals(models[0].b1(), models[1].b1());
        assertArrayEquals(models[0].w2(), models[1].w2());
        assertArrayEquals(models[0].b2(), models[1].b2());
        assertEquals(figures[0], figures[1]);
        assertArrayEquals(predictions[0], predictions[1]);
    }

    @Test
    void dropoutGradientsMatchTheReferenceWithTheSameMask() {
        int dim = 301;
        int hidden = 17;
        int n = 23;
        DataSet set = SyntheticData.of("train", 41, dim, CLASSES, 5);
        TwoLayerModel model = network(dim, hidden, 9);
        int[] rows = rows(n, set.size());
        Dropout dropout = new Dropout(0.4);
        long stepSeed = new SplittableRandom(77).nextLong();
        double[] multipliers = new double[hidden * n];
        int dropped = 0;
        for (int i = 0; i < hidden; i++) {
            for (int j = 0; j < n; j++) {
                boolean kept = dropout.kept(stepSeed, i, j);
                multipliers[i * n + j] = kept ? dropout.keptScale() : 0;
                dropped += kept ? 0 : 1;
            }
        }
        // 391 draws at rate 0.4: 156 expected, standard deviation 9.7
        assertTrue(dropped > 120 && dropped < 195, dropped + " of " + hidden * n + " dropped");
        float[][] gradients = new float[4][];
        try (WorkerPool pool = new WorkerPool(2)) {
            TwoLayerStep step = new TwoLayerStep(kernels, oneLayer::softmaxCrossEntropy, pool, CLASSES, dim, hidden,
                    32, dropout, new SplittableRandom(77));
            step.gradients(model, set, rows, 0, n, 0.01, gradients);
        }
        double[] x = DoubleReference.features(set);
        TwoLayerReference.Gradients expected = TwoLayerReference.gradients(parameters(model), x, set.labels(), rows,
                0.01, multipliers);
        TwoLayerReference.Gradients without = TwoLayerReference.gradients(parameters(model), x, set.labels(), rows,
                0.01);
        assertClose(expected.w1(), gradients[0], model.stride(), dim, "dW1");
        assertClose(expected.b1(), gradients[1], 1, 1, "db1");
        assertClose(expected.w2(), gradients[2], hidden, hidden, "dW2");
        assertClose(expected.b2(), gradients[3], 1, 1, "db2");
        assertTrue(Math.abs(without.w2()[3] - expected.w2()[3]) > 1e-3 * Math.abs(without.w2()[3]),
                "the mask changes the gradient");
    }

    @Test
    void dropoutStepsGiveTheSameBitsOnOneThreadAndTwo() {
        int dim = 3072;
        int hidden = 50;
        DataSet set = SyntheticData.of("train", 300, dim, CLASSES, 7);
        TwoLayerModel[] models = new TwoLayerModel[2];
        for (int threads = 1; threads <= 2; threads++) {
            TwoLayerModel model = network(dim, hidden, 11);
            try (WorkerPool pool = new WorkerPool(threads)) {
                TwoLayerStep step = new TwoLayerStep(kernels, oneLayer::softmaxCrossEntropy, pool, CLASSES, dim,
                        hidden, 100, new Dropout(0.5), new SplittableRandom(3));
                int[] order = rows(set.size(), set.size());
                for (int from = 0; from < set.size(); from += 100) {
                    step.step(model, set, order, from, 100, 0.05, 0.001, null, null);
                }
            }
            models[threads - 1] = model;
        }
        assertArrayEquals(models[0].w1(), models[1].w1());
        assertArrayEquals(models[0].b1(), models[1].b1());
        assertArrayEquals(models[0].w2(), models[1].w2());
        assertArrayEquals(models[0].b2(), models[1].b2());
    }

    @Test
    void evaluationMatchesTheDoubleReference() {
        int dim = 301;
        int hidden = 7;
        DataSet set = SyntheticData.of("validation", 150, dim, CLASSES, 8);
        TwoLayerModel model = network(dim, hidden, 12);
        try (WorkerPool pool = new WorkerPool(2)) {
            TwoLayerEvaluator evaluator = new TwoLayerEvaluator(kernels, oneLayer::softmaxCrossEntropy, pool,
                    CLASSES, dim, hidden);
            Evaluation figures = evaluator.evaluate(model, set, 0.1, null);
            int[] all = rows(set.size(), set.size());
            double[] x = DoubleReference.features(set);
            double loss = TwoLayerReference.loss(parameters(model), x, set.labels(), all);
            assertEquals(loss, figures.loss(), 1e-5);
            assertEquals(TwoLayerReference.cost(parameters(model), x, set.labels(), all, 0.1), figures.cost(), 1e-5);
            assertEquals(set.size(), figures.count());
        }
    }
}
