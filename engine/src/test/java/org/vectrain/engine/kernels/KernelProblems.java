package org.vectrain.engine.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.vectrain.engine.kernels.provider.KernelProvider;

/**
 * What the kernel tests share: the kernels by name, random problems to run them on, and the tolerance
 * |float - double| <= ABS + REL * scale with the tracker that reports the worst difference against it.
 */
final class KernelProblems {
    static final double REL = 1e-5;
    static final double ABS = 1e-6;

    private KernelProblems() {
    }

    static Kernels kernels(String kind) {
        return kind.equals("vector") ? KernelProvider.vector() : KernelProvider.scalar();
    }

    /**
     * Random problem: W ~ N(0, 0.01), pixels uniform bytes, an affine map like a real
     * normalisation (a ~ 1/64, c ~ N(0, 1)), rows addressed through a shuffled row list.
     */
    record Problem(int classes, int n, int dim, float[] w, float[] b, byte[] q, float[] a, float[] c, int[] rows,
            int[] labels) {
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
            byte[] q = new byte[total * dim];
            for (int i = 0; i < q.length; i++) {
                q[i] = (byte) r.nextInt(256);
            }
            float[] a = new float[dim];
            float[] c = new float[dim];
            for (int d = 0; d < dim; d++) {
                a[d] = (float) ((1 + r.nextDouble()) / 64);
                c[d] = (float) r.nextGaussian();
            }
            int[] rows = new int[n];
            for (int j = 0; j < n; j++) {
                rows[j] = (j * 7 + 3) % total; // not in order, not contiguous
            }
            int[] labels = new int[total];
            for (int i = 0; i < total; i++) {
                labels[i] = r.nextInt(classes);
            }
            return new Problem(classes, n, dim, w, b, q, a, c, rows, labels);
        }
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
