package org.vectrain.engine.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vectrain.engine.reference.ScalarKernels;
import org.vectrain.engine.simd.KernelNumericsTest.Problem;
import org.vectrain.engine.simd.KernelNumericsTest.Worst;

/**
 * The packed-batch kernels of the training pass ({@link Kernels#pack}, {@link Kernels#forwardPacked},
 * {@link Kernels#packAndForward}, {@link Kernels#gradientPacked}, {@link Kernels#foldStrips}), SIMD and
 * scalar, at the shapes of {@link KernelNumericsTest} (sizes off the vector grid, D not a multiple of a
 * strip, odd K). The samples are cut into uneven ranges and the strips into uneven parts, as the training
 * threads cut them. Against the double reference with that test's tolerance, and bit for bit where two
 * kernels promise the same math.
 */
class PackedKernelsTest {

    static Kernels kernels(String kind) {
        return KernelNumericsTest.kernels(kind);
    }

    /** Three uneven strip ranges covering all strips (some empty when there are few strips). */
    static int[] stripCuts(int dim) {
        int strips = Kernels.strips(dim);
        return new int[] {0, strips / 3, strips / 3 + (strips + 1) / 2, strips};
    }

    /** Three uneven sample ranges covering the batch, not at multiples of 4. */
    static int[] sampleCuts(int n) {
        return new int[] {0, n / 3, n / 3 + (n + 1) / 2, n};
    }

    static byte[] packedBuffer(Problem p) {
        return new byte[Kernels.strips(p.dim()) * p.n() * Kernels.STRIP];
    }

    /** Flips every image but one in three, for CIFAR-sized problems; null for others. */
    static boolean[] someFlips(Problem p) {
        if (p.dim() != 3072) {
            return null;
        }
        boolean[] flipped = new boolean[p.q().length / p.dim()];
        for (int i = 0; i < flipped.length; i++) {
            flipped[i] = i % 3 != 1;
        }
        return flipped;
    }

    /** Pixel of dimension d of image {@code row} as the packed layout defines it: signed, mirrored if asked. */
    static int expectedPixel(Problem p, int row, int d, boolean flip) {
        int x = d % 32;
        int from = flip ? d - x + 31 - x : d;
        return ScalarKernels.signed(p.q()[row * p.dim() + from]);
    }

    @ParameterizedTest(name = "{0} K={1} n={2} D={3}")
    @MethodSource("org.vectrain.engine.simd.KernelNumericsTest#shapes")
    void packFollowsTheLayout(String kind, int classes, int n, int dim) {
        Problem p = Problem.random(classes, n, dim, 3 + n + dim);
        boolean[] flipped = someFlips(p);
        byte[] packed = packedBuffer(p);
        int[] cuts = sampleCuts(n);
        for (int i = 0; i + 1 < cuts.length; i++) {
            kernels(kind).pack(p.q(), dim, p.rows(), 0, n, cuts[i], cuts[i + 1], flipped, packed);
        }
        for (int s = 0; s < Kernels.strips(dim); s++) {
            for (int j = 0; j < n; j++) {
                int row = p.rows()[j];
                for (int t = 0; t < Kernels.STRIP; t++) {
                    int d = s * Kernels.STRIP + t;
                    int expected = d < dim ? expectedPixel(p, row, d, flipped != null && flipped[row]) : 0;
                    assertEquals(expected, ScalarKernels.signed(packed[(s * n + j) * Kernels.STRIP + t]),
                            kind + ": strip " + s + " sample " + j + " t " + t);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} K={1} n={2} D={3}")
    @MethodSource("org.vectrain.engine.simd.KernelNumericsTest#shapes")
    void packedScoresMatchTheDoubleReference(String kind, int classes, int n, int dim) {
        Problem p = Problem.random(classes, n, dim, 11 + n + dim);
        Kernels k = kernels(kind);
        byte[] packed = packedBuffer(p);
        float[] scores = new float[classes * n];
        int[] cuts = sampleCuts(n);
        for (int i = 0; i + 1 < cuts.length; i++) {
            k.packAndForward(p.q(), p.rows(), 0, n, cuts[i], cuts[i + 1], null, p.w(), p.b(), classes, dim, packed,
                    scores);
        }
        Worst worst = new Worst("packed forward " + kind);
        for (int j = 0; j < n; j++) {
            for (int c = 0; c < classes; c++) {
                double expected = p.b()[c];
                double scale = Math.abs(p.b()[c]);
                for (int d = 0; d < dim; d++) {
                    double term = (double) p.w()[c * dim + d] * ScalarKernels.signed(p.q()[p.rows()[j] * dim + d]);
                    expected += term;
                    scale += Math.abs(term);
                }
                worst.check(scores[c * n + j], expected, scale, "k=" + c + " j=" + j);
            }
        }
        worst.assertWithin();
    }

    @ParameterizedTest(name = "{0} K={1} n={2} D={3}")
    @MethodSource("org.vectrain.engine.simd.KernelNumericsTest#shapes")
    void packAndForwardIsPackThenForwardBitForBitInAnySampleRange(String kind, int classes, int n, int dim) {
        Problem p = Problem.random(classes, n, dim, 31 + n + dim);
        Kernels k = kernels(kind);
        for (boolean[] flips : new boolean[][] {null, someFlips(p)}) {
            // the whole batch at once, in one call of each
            byte[] separate = packedBuffer(p);
            float[] expected = new float[classes * n];
            k.pack(p.q(), dim, p.rows(), 0, n, 0, n, flips, separate);
            k.forwardPacked(p.w(), p.b(), classes, dim, separate, n, 0, n, expected);
            // the fused kernel over uneven sample ranges
            byte[] fused = packedBuffer(p);
            float[] actual = new float[classes * n];
            int[] cuts = sampleCuts(n);
            for (int i = 0; i + 1 < cuts.length; i++) {
                k.packAndForward(p.q(), p.rows(), 0, n, cuts[i], cuts[i + 1], flips, p.w(), p.b(), classes, dim,
                        fused, actual);
            }
            String what = kind + (flips == null ? "" : " with flips");
            assertArrayEquals(separate, fused, what + ": packed bytes");
            assertArrayEquals(expected, actual, what + ": scores");
        }
    }

    /** G ~ N(0, 1/n^2) with its row sums. */
    static float[][] gradientOfScores(int classes, int n) {
        SplittableRandom r = new SplittableRandom(5);
        float[] g = new float[classes * n];
        float[] gSum = new float[classes];
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < n; j++) {
                g[c * n + j] = (float) (r.nextGaussian() / n);
                gSum[c] += g[c * n + j];
            }
        }
        return new float[][] {g, gSum};
    }

    @ParameterizedTest(name = "{0} K={1} n={2} D={3}")
    @MethodSource("org.vectrain.engine.simd.KernelNumericsTest#shapes")
    void packedUpdateIsTheSgdStepAndRefoldsTheNewWeights(String kind, int classes, int n, int dim) {
        Problem p = Problem.random(classes, n, dim, 23 + n * 7 + dim);
        Kernels k = kernels(kind);
        float[][] gg = gradientOfScores(classes, n);
        float[] g = gg[0];
        float[] gSum = gg[1];
        float twoLambda = 0.2f;
        float eta = 0.05f;
        byte[] packed = packedBuffer(p);
        k.pack(p.q(), dim, p.rows(), 0, n, 0, n, null, packed);
        int[] cuts = stripCuts(dim);
        float[] w = p.w().clone();
        float[] wFolded = new float[classes * dim];
        float[][] shifts = new float[cuts.length - 1][classes];
        for (int i = 0; i + 1 < cuts.length; i++) {
            k.gradientPacked(g, gSum, classes, n, packed, dim, p.a(), p.c(), w, twoLambda, eta, wFolded, shifts[i],
                    cuts[i], cuts[i + 1]);
        }
        // W: the SGD step in double; in whole strips, the same bits as the unpacked kernel's SGD step
        float[] unpacked = p.w().clone();
        k.weightGradient(g, gSum, classes, n, p.q(), dim, p.rows(), 0, p.a(), p.c(), unpacked, twoLambda, 1f, -eta,
                unpacked, 0, dim);
        int wholeStrips = dim / Kernels.STRIP * Kernels.STRIP;
        Worst step = new Worst("packed SGD step " + kind);
        for (int c = 0; c < classes; c++) {
            for (int d = 0; d < dim; d++) {
                double w0 = p.w()[c * dim + d];
                double grad = twoLambda * w0;
                double scale = Math.abs(twoLambda * w0) + Math.abs(gSum[c] * p.c()[d]);
                for (int j = 0; j < n; j++) {
                    double x = p.a()[d] * ScalarKernels.signed(p.q()[p.rows()[j] * dim + d]) + p.c()[d];
                    grad += g[c * n + j] * x;
                    scale += Math.abs(g[c * n + j] * (x - p.c()[d]));
                }
                step.check(w[c * dim + d], w0 - eta * grad, Math.abs(w0) + eta * scale, "k=" + c + " d=" + d);
                if (d < wholeStrips) {
                    assertEquals(unpacked[c * dim + d], w[c * dim + d],
                            kind + ": packed against unpacked SGD step at k=" + c + " d=" + d);
                }
            }
        }
        step.assertWithin();
        // the fold of the new W, against double
        Worst folded = new Worst("refolded W " + kind);
        Worst shift = new Worst("refolded shift " + kind);
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i + 1 < cuts.length; i++) {
                double expected = 0;
                double scale = 0;
                int end = Math.min(dim, cuts[i + 1] * Kernels.STRIP);
                for (int d = cuts[i] * Kernels.STRIP; d < end; d++) {
                    expected += (double) w[c * dim + d] * p.c()[d];
                    scale += Math.abs((double) w[c * dim + d] * p.c()[d]);
                }
                shift.check(shifts[i][c], expected, scale, "k=" + c + " part " + i);
            }
            for (int d = 0; d < dim; d++) {
                double expected = (double) w[c * dim + d] * p.a()[d];
                folded.check(wFolded[c * dim + d], expected, Math.abs(expected), "k=" + c + " d=" + d);
            }
        }
        folded.assertWithin();
        shift.assertWithin();
        // foldStrips of the new W gives the same bits as the fold fused into the update
        float[] wFoldedAgain = new float[classes * dim];
        for (int i = 0; i + 1 < cuts.length; i++) {
            float[] again = new float[classes];
            k.foldStrips(w, classes, dim, p.a(), p.c(), wFoldedAgain, again, cuts[i], cuts[i + 1]);
            assertArrayEquals(shifts[i], again, kind + ": foldStrips shift of part " + i);
        }
        assertArrayEquals(wFolded, wFoldedAgain, kind + ": foldStrips W'");
    }
}
