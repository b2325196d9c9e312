package org.vectrain.engine.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vectrain.engine.reference.DoubleReference;

/**
 * Every kernel, SIMD and scalar, against the double-precision reference at sizes that are not
 * multiples of the vector length and at the real shapes.
 *
 * <p>Tolerance: |float - double| <= ABS + REL * scale, where scale is the sum of |terms| that went
 * into the value (so cancellation does not make the bound meaningless). Float accumulation over D
 * terms has error about sqrt(D) * 2^-24 relative to that scale; 1e-5 leaves headroom at D = 3072.
 */
class KernelNumericsTest {
    static final double REL = 1e-5;
    static final double ABS = 1e-6;
    static final int LANES = KernelProvider.vector().lanes();

    static Stream<Arguments> shapes() {
        int[] sizes = {1, LANES - 1, LANES + 1, 103, 1021};
        Stream.Builder<Arguments> out = Stream.builder();
        for (String kind : new String[] {"vector", "scalar"}) {
            for (int size : sizes) {
                out.add(Arguments.of(kind, 10, size, size)); // n = D = size
                out.add(Arguments.of(kind, 7, size, 64 + 3)); // odd classes, odd D
            }
            out.add(Arguments.of(kind, 10, 100, 3072)); // real training shape
            out.add(Arguments.of(kind, 10, 256, 3072)); // real evaluation chunk
            out.add(Arguments.of(kind, 1, 3, 5));
        }
        return out.build();
    }

    static Kernels kernels(String kind) {
        return kind.equals("vector") ? KernelProvider.vector() : KernelProvider.scalar();
    }

    /** Random problem: W ~ N(0, 0.01), X ~ N(0, 1) rows addressed through a shuffled row list. */
    record Problem(int classes, int n, int dim, float[] w, float[] b, float[] x, int[] rows, int[] labels) {
        static Problem random(int classes, int n, int dim, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            float[] w = new float[classes * dim];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (0.01 * r.nextGaussian());
            }
            float[] b = new float[classes];
            for (int i = 0; i < classes; i++) {
                b[i] = (float) (0.01 * r.nextGaussian());
            }
            int total = n + 5;
            float[] x = new float[total * dim];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            int[] rows = new int[n];
            for (int j = 0; j < n; j++) {
                rows[j] = (j * 7 + 3) % total; // not in order, not contiguous
            }
            int[] labels = new int[total];
            for (int i = 0; i < total; i++) {
                labels[i] = r.nextInt(classes);
            }
            return new Problem(classes, n, dim, w, b, x, rows, labels);
        }
    }

    @ParameterizedTest(name = "{0} K={1} n={2} D={3}")
    @MethodSource("shapes")
    void forwardScoresMatchDoubleReference(String kind, int classes, int n, int dim) {
        Problem p = Problem.random(classes, n, dim, 42 + n + dim);
        int ld = n + 3;
        float[] s = new float[classes * ld + 2];
        kernels(kind).forwardScores(p.w, p.b, classes, dim, p.x, p.rows, 0, n, s, 2, ld);
        double[][] ref = DoubleReference.scores(DoubleReference.widen(p.w), DoubleReference.widen(p.b), classes, dim,
                p.x, p.rows);
        Worst worst = new Worst("forward scores " + kind);
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < classes; k++) {
                double scale = Math.abs(p.b[k]);
                for (int d = 0; d < dim; d++) {
                    scale += Math.abs(p.w[k * dim + d] * p.x[p.rows[j] * dim + d]);
                }
                worst.check(s[2 + k * ld + j], ref[j][k], scale, "k=" + k + " j=" + j);
            }
        }
        worst.assertWithin();
    }

    @ParameterizedTest(name = "{0} K={1} n={2}")
    @MethodSource("shapes")
    void softmaxCrossEntropyMatchesDoubleReference(String kind, int classes, int n, int unusedDim) {
        SplittableRandom r = new SplittableRandom(7 + n);
        float[] s = new float[classes * n];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (3 * r.nextGaussian());
        }
        int[] labels = new int[n];
        for (int j = 0; j < n; j++) {
            labels[j] = r.nextInt(classes);
        }
        float[] g = new float[classes * n];
        int[] predictions = new int[n + 1];
        LossAccumulator acc = new LossAccumulator();
        float gScale = 1f / n;
        kernels(kind).softmaxCrossEntropy(s, classes, n, labels, g, gScale, predictions, 1, acc);

        double lossSum = 0;
        long correct = 0;
        Worst worst = new Worst("softmax gradient " + kind);
        for (int j = 0; j < n; j++) {
            double[] column = new double[classes];
            int argMax = 0;
            for (int k = 0; k < classes; k++) {
                column[k] = s[k * n + j];
                if (column[k] > column[argMax]) {
                    argMax = k;
                }
            }
            lossSum += DoubleReference.crossEntropy(column, labels[j]);
            correct += argMax == labels[j] ? 1 : 0;
            assertEquals(argMax, predictions[1 + j], "prediction of sample " + j);
            double[] p = DoubleReference.softmax(column);
            for (int k = 0; k < classes; k++) {
                double expected = (p[k] - (k == labels[j] ? 1 : 0)) * gScale;
                worst.check(g[k * n + j], expected, gScale, "k=" + k + " j=" + j);
            }
        }
        worst.assertWithin();
        assertEquals(correct, acc.correct(), "correct count");
        assertEquals(lossSum, acc.lossSum(), 1e-5 * Math.abs(lossSum) + 1e-5, "loss sum");
    }

    @ParameterizedTest(name = "{0} K={1} n={2} D={3}")
    @MethodSource("shapes")
    void weightGradientAndUpdateMatchDoubleReference(String kind, int classes, int n, int dim) {
        Problem p = Problem.random(classes, n, dim, 99 + n * 31 + dim);
        SplittableRandom r = new SplittableRandom(5);
        float[] g = new float[classes * n];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (r.nextGaussian() / n);
        }
        float twoLambda = 0.2f;
        float eta = 0.05f;
        double[][] a = new double[classes][dim];
        double[][] scale = new double[classes][dim];
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < n; j++) {
                for (int d = 0; d < dim; d++) {
                    double term = (double) g[k * n + j] * p.x[p.rows[j] * dim + d];
                    a[k][d] += term;
                    scale[k][d] += Math.abs(term);
                }
            }
        }
        // the gradient itself, over a column range that starts and ends off the vector grid
        int dFrom = Math.min(1, dim - 1);
        int dTo = dim;
        float[] dw = new float[classes * dim];
        kernels(kind).weightGradient(g, classes, n, p.x, dim, p.rows, 0, p.w, twoLambda, 0f, 1f, dw, dFrom, dTo);
        Worst gradient = new Worst("weight gradient " + kind);
        for (int k = 0; k < classes; k++) {
            for (int d = 0; d < dim; d++) {
                double w = p.w[k * dim + d];
                double expected = d < dFrom ? 0 : a[k][d] + twoLambda * w;
                gradient.check(dw[k * dim + d], expected, scale[k][d] + Math.abs(twoLambda * w), "k=" + k + " d=" + d);
            }
        }
        gradient.assertWithin();
        // the fused SGD update, in place
        float[] w = p.w.clone();
        kernels(kind).weightGradient(g, classes, n, p.x, dim, p.rows, 0, w, twoLambda, 1f, -eta, w, 0, dim);
        Worst update = new Worst("fused update " + kind);
        for (int k = 0; k < classes; k++) {
            for (int d = 0; d < dim; d++) {
                double w0 = p.w[k * dim + d];
                double expected = w0 - eta * (a[k][d] + twoLambda * w0);
                update.check(w[k * dim + d], expected, Math.abs(w0) + eta * (scale[k][d] + Math.abs(twoLambda * w0)),
                        "k=" + k + " d=" + d);
            }
        }
        update.assertWithin();
    }

    @ParameterizedTest(name = "{0} K={1} n={2}")
    @MethodSource("shapes")
    void sumOfSquaresMatchesDoubleReference(String kind, int classes, int n, int dim) {
        Problem p = Problem.random(classes, n, dim, 3);
        double expected = 0;
        for (int i = 1; i < p.x.length; i++) {
            expected += (double) p.x[i] * p.x[i];
        }
        double actual = kernels(kind).sumOfSquares(p.x, 1, p.x.length);
        assertEquals(expected, actual, REL * expected, "sum of squares");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void extremeScoresStayFinite(String kind) {
        int classes = 10;
        int n = LANES + 3;
        float[] s = new float[classes * n];
        int[] labels = new int[n];
        for (int j = 0; j < n; j++) {
            labels[j] = j % classes;
            for (int k = 0; k < classes; k++) {
                s[k * n + j] = (j % 3 == 0) ? 1e4f * ((k + j) % 2 == 0 ? 1 : -1) : (j % 3 == 1 ? 5f : -1e4f * k);
            }
        }
        float[] g = new float[classes * n];
        LossAccumulator acc = new LossAccumulator();
        kernels(kind).softmaxCrossEntropy(s, classes, n, labels, g, 1f / n, null, 0, acc);
        assertTrue(Double.isFinite(acc.lossSum()), "loss is finite: " + acc.lossSum());
        for (float v : g) {
            assertTrue(Float.isFinite(v), "gradient is finite");
        }
        // all-equal scores: p = 1/K for every class, loss = log K per sample
        java.util.Arrays.fill(s, 5f);
        acc.reset();
        kernels(kind).softmaxCrossEntropy(s, classes, n, labels, g, 1f, null, 0, acc);
        assertEquals(n * Math.log(classes), acc.lossSum(), 1e-5 * n);
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < classes; k++) {
                assertEquals(0.1 - (k == labels[j] ? 1 : 0), g[k * n + j], 1e-6);
            }
        }
    }

    static Stream<String> kinds() {
        return Stream.of("vector", "scalar");
    }

    /** Tracks the largest scaled difference and where it occurred, and fails with both. */
    static final class Worst {
        private final String what;
        private double ratio = -1;
        private String where = "";
        private double actual;
        private double expected;

        Worst(String what) {
            this.what = what;
        }

        void check(double actualValue, double expectedValue, double scale, String at) {
            double diff = Math.abs(actualValue - expectedValue);
            double allowed = ABS + REL * scale;
            double r = Double.isNaN(actualValue) ? Double.POSITIVE_INFINITY : diff / allowed;
            if (r > ratio) {
                ratio = r;
                where = at;
                actual = actualValue;
                expected = expectedValue;
            }
        }

        void assertWithin() {
            if (ratio > 1) {
                fail(String.format("%s: largest difference %.3g at %s (got %.9g, reference %.9g), %.2fx the tolerance",
                        what, Math.abs(actual - expected), where, actual, expected, ratio));
            }
        }
    }
}
