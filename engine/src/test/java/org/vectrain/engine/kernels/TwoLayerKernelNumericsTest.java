package org.vectrain.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vectrain.engine.kernels.KernelProblems.Worst;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.layout.AlignedFloats;
import org.vectrain.engine.layout.SampleBlocks;
import org.vectrain.engine.kernels.scalar.ScalarKernels;

/**
 * Every two-layer kernel, SIMD and scalar, against sums in double at hidden widths m = 1, 7, 15, 16, 17, 50, 129,
 * 1000 and batches n = 1, 99, 100, 101: all of them at D = 301 (not a multiple of any vector or of the packed
 * block), the assignment's m = 50 and the wide m = 1000 at the real D = 3072.
 *
 * <p>Tolerance: |float - double| <= 1e-6 + 1e-5 * scale, scale the sum of |terms| of the value
 * ({@link KernelProblems}). The kernels that sum each output in one order in one lane (all but the forward product
 * and dW2, which reduce lanes) must also give the scalar twin's bits exactly (the evaluation's hidden layer from
 * {@code SampleBlocks} too), and every kernel must give the same bits for a unit whichever range of units (or of
 * blocks) it was computed in (the threads' split).
 */
class TwoLayerKernelNumericsTest {
    private static final int CLASSES = 10;

    static Stream<Arguments> shapes() {
        Stream.Builder<Arguments> out = Stream.builder();
        for (String kind : new String[] {"vector", "scalar"}) {
            for (int m : new int[] {1, 7, 15, 16, 17, 50, 129, 1000}) {
                for (int n : new int[] {1, 99, 100, 101}) {
                    out.add(Arguments.of(kind, m, n, 301));
                }
            }
            out.add(Arguments.of(kind, 50, 100, 3072));
            out.add(Arguments.of(kind, 50, 101, 3072));
            out.add(Arguments.of(kind, 1000, 100, 3072));
        }
        return out.build();
    }

    static TwoLayerKernels kernels(String kind) {
        return kind.equals("vector") ? KernelProvider.twoLayerVector() : KernelProvider.twoLayerScalar();
    }

    /** A random network and batch: weights as the assignment initialises them, biases non-zero. */
    record Network(int m, int n, int dim, int padded, int stride, float[] w1, float[] b1, float[] w2, float[] b2, byte[] q,
            int[] rows, float[] a, float[] c, float[] g) {
        static Network random(int m, int n, int dim, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            int padded = TwoLayerKernels.paddedDim(dim);
            int stride = TwoLayerKernels.weightStride(dim);
            float[] w1 = new float[m * stride];
            for (int i = 0; i < m; i++) {
                for (int d = 0; d < dim; d++) {
                    w1[i * stride + d] = (float) (r.nextGaussian() / Math.sqrt(dim));
                }
            }
            float[] b1 = gaussian(r, m, 0.1);
            float[] w2 = gaussian(r, CLASSES * m, 1 / Math.sqrt(m));
            float[] b2 = gaussian(r, CLASSES, 0.1);
            int total = n + 3;
            byte[] q = new byte[total * dim];
            for (int i = 0; i < q.length; i++) {
                q[i] = (byte) r.nextInt(256);
            }
            int[] rows = new int[n];
            for (int j = 0; j < n; j++) {
                rows[j] = (j * 5 + 2) % total;
            }
            float[] a = new float[dim];
            float[] c = new float[dim];
            for (int d = 0; d < dim; d++) {
                a[d] = (float) ((1 + r.nextDouble()) / 64);
                c[d] = (float) r.nextGaussian();
            }
            return new Network(m, n, dim, padded, stride, w1, b1, w2, b2, q, rows, a, c, gaussian(r, CLASSES * n, 0.01));
        }

        DenseLayer first() {
            return new DenseLayer(w1, b1, m, stride);
        }

        /** The first layer with W1 copied to start at {@code w[start]} of a longer array, b1 a copy. */
        DenseLayer firstFrom(int start) {
            float[] w = new float[start + w1.length];
            java.util.Arrays.fill(w, 0, start, Float.NaN);
            System.arraycopy(w1, 0, w, start, w1.length);
            return new DenseLayer(w, b1.clone(), m, stride, start);
        }

        DenseLayer second() {
            return new DenseLayer(w2, b2, CLASSES, m);
        }

        RowSource source() {
            return RowSource.whole(q, dim, rows);
        }

        /** The feature of sample j at column d, as packing rounds it: a product, then a sum. */
        float feature(int j, int d) {
            return a[d] * ScalarKernels.signed(q[rows[j] * dim + d]) + c[d];
        }
    }

    private static float[] gaussian(SplittableRandom r, int size, double std) {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = (float) (std * r.nextGaussian());
        }
        return out;
    }

    /**
     * The batch packed from an element that is on no vector's boundary, {@link #PACKED_START}, after NaNs that no
     * kernel may read or write.
     */
    private static AlignedFloats packed(TwoLayerKernels kernels, Network p) {
        float[] packed = new float[PACKED_START + TwoLayerKernels.packedLength(p.n(), p.dim())];
        java.util.Arrays.fill(packed, Float.NaN);
        AlignedFloats into = new AlignedFloats(packed, PACKED_START);
        kernels.pack(p.source(), 0, p.n(), 0, p.n(), new Affine(p.a(), p.c()), p.dim(), into);
        return into;
    }

    /** Where the tests' packed batches start: not a multiple of any vector's length. */
    private static final int PACKED_START = 7;

    /** The packed feature of sample j at column d. */
    private static float at(AlignedFloats packed, Network p, int j, int d) {
        int block = d / TwoLayerKernels.DEPTH_BLOCK;
        return packed.array()[packed.start() + (block * p.n() + j) * TwoLayerKernels.PACKED_ROW
                + d % TwoLayerKernels.DEPTH_BLOCK];
    }

    @ParameterizedTest(name = "{0} m={1} n={2} D={3}")
    @MethodSource("shapes")
    void packingGivesTheFeaturesAndZerosPastD(String kind, int m, int n, int dim) {
        Network p = Network.random(m, n, dim, 3 + m + n);
        AlignedFloats packed = packed(kernels(kind), p);
        for (int j = 0; j < n; j++) {
            for (int d = 0; d < p.padded(); d++) {
                float expected = d < dim ? p.feature(j, d) : 0f;
                assertEquals(expected, at(packed, p, j, d), "sample " + j + ", column " + d);
            }
        }
        for (int before = 0; before < PACKED_START; before++) {
            assertTrue(Float.isNaN(packed.array()[before]), "element " + before + " before the start written");
        }
        assertArrayEquals(packed(KernelProvider.twoLayerScalar(), p).array(), packed.array(),
                "the scalar twin's packing");
    }

    /** {@code H[i][j] = max(0, b1[i] + sum_d W1[i][d] x[j][d])} at {@code h[i * ldH + j]}, within the tolerance. */
    private static void assertHiddenWithin(Network p, float[] h, int ldH, String what) {
        Worst worst = new Worst(what);
        for (int i = 0; i < p.m(); i++) {
            for (int j = 0; j < p.n(); j++) {
                double sum = p.b1()[i];
                double scale = Math.abs(p.b1()[i]);
                for (int d = 0; d < p.dim(); d++) {
                    double term = (double) p.w1()[i * p.stride() + d] * p.feature(j, d);
                    sum += term;
                    scale += Math.abs(term);
                }
                worst.check(h[i * ldH + j], Math.max(0, sum), scale, "unit " + i + ", sample " + j);
            }
        }
        worst.assertWithin();
    }

    @ParameterizedTest(name = "{0} m={1} n={2} D={3}")
    @MethodSource("shapes")
    void forwardMatchesDoubleAndSplitsByUnit(String kind, int m, int n, int dim) {
        TwoLayerKernels kernels = kernels(kind);
        Network p = Network.random(m, n, dim, 5 + m + n);
        AlignedFloats packed = packed(kernels, p);
        float[] h = new float[m * n];
        kernels.hiddenForward(packed, n, p.first(), 0, m, h);
        assertHiddenWithin(p, h, n, "H " + kind);
        float[] split = new float[m * n];
        int cut = Math.min(m, 4 * ((m / 2 + 3) / 4));
        kernels.hiddenForward(packed, n, p.first(), 0, cut, split);
        kernels.hiddenForward(packed, n, p.first(), cut, m, split);
        assertArrayEquals(h, split, "units computed in two ranges");
        float[] offset = new float[m * n];
        kernels.hiddenForward(packed, n, p.firstFrom(5), 0, m, offset);
        assertArrayEquals(h, offset, "W1 read from element 5 of its array");
    }

    @ParameterizedTest(name = "{0} m={1} n={2} D={3}")
    @MethodSource("shapes")
    void evaluationBlocksMatchDoubleTheTwinAndSplitByBlock(String kind, int m, int n, int dim) {
        TwoLayerKernels kernels = kernels(kind);
        Network p = Network.random(m, n, dim, 7 + m + n);
        byte[] images = new byte[n * dim];
        for (int j = 0; j < n; j++) {
            System.arraycopy(p.q(), p.rows()[j] * dim, images, j * dim, dim);
        }
        byte[] q = SampleBlocks.relayout(images, n, dim).values();
        int blocks = (n + TwoLayerKernels.SAMPLE_BLOCK - 1) / TwoLayerKernels.SAMPLE_BLOCK;
        int columns = blocks * TwoLayerKernels.SAMPLE_BLOCK;
        FoldedWeights folded = TwoLayerKernels.foldTransposed(p.first(), dim, new Affine(p.a(), p.c()),
                new float[dim * m], new float[m]);
        float[] h = new float[m * columns];
        kernels.blockHidden(folded, q, 0, blocks, h, columns);
        assertHiddenWithin(p, h, columns, "H from blocks " + kind);
        float[] twin = new float[m * columns];
        KernelProvider.twoLayerScalar().blockHidden(folded, q, 0, blocks, twin, columns);
        assertArrayEquals(twin, h, "the scalar twin's bits");
        if (blocks > 1) {
            float[] split = new float[m * columns];
            float[] rest = new float[m * (columns - TwoLayerKernels.SAMPLE_BLOCK)];
            kernels.blockHidden(folded, q, 0, 1, split, columns);
            kernels.blockHidden(folded, q, 1, blocks - 1, rest, columns - TwoLayerKernels.SAMPLE_BLOCK);
            for (int i = 0; i < m; i++) {
                System.arraycopy(rest, i * (columns - TwoLayerKernels.SAMPLE_BLOCK), split,
                        i * columns + TwoLayerKernels.SAMPLE_BLOCK, columns - TwoLayerKernels.SAMPLE_BLOCK);
            }
            assertArrayEquals(h, split, "blocks computed one at a time");
        }
    }

    @ParameterizedTest(name = "{0} m={1} n={2} D={3}")
    @MethodSource("shapes")
    void secondLayerMatchesDoubleAndTheTwin(String kind, int m, int n, int dim) {
        TwoLayerKernels kernels = kernels(kind);
        Network p = Network.random(m, n, dim, 7 + m + n);
        float[] h = gaussian(new SplittableRandom(m * 31L + n), m * n, 1);
        for (int i = 0; i < h.length; i += 3) {
            h[i] = 0f; // dead units, as after the ReLU
        }
        float[] s = new float[CLASSES * n];
        kernels.outputScores(h, n, p.second(), s);
        Worst scores = new Worst("S " + kind);
        for (int k = 0; k < CLASSES; k++) {
            for (int j = 0; j < n; j++) {
                double sum = p.b2()[k];
                double scale = Math.abs(sum);
                for (int i = 0; i < m; i++) {
                    double term = (double) p.w2()[k * m + i] * h[i * n + j];
                    sum += term;
                    scale += Math.abs(term);
                }
                scores.check(s[k * n + j], sum, scale, "class " + k + ", sample " + j);
            }
        }
        scores.assertWithin();

        float[] g1 = new float[m * n];
        float[] g1Sum = new float[m];
        kernels.hiddenGradient(p.g(), n, p.second(), h, 0, m, g1, g1Sum);
        Worst hidden = new Worst("G1 " + kind);
        Worst sums = new Worst("G1 1 " + kind);
        for (int i = 0; i < m; i++) {
            double rowSum = 0;
            double rowScale = 0;
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double scale = 0;
                for (int k = 0; k < CLASSES; k++) {
                    double term = (double) p.w2()[k * m + i] * p.g()[k * n + j];
                    sum += term;
                    scale += Math.abs(term);
                }
                double expected = h[i * n + j] > 0 ? sum : 0;
                hidden.check(g1[i * n + j], expected, scale, "unit " + i + ", sample " + j);
                rowSum += expected;
                rowScale += h[i * n + j] > 0 ? scale : 0;
            }
            sums.check(g1Sum[i], rowSum, rowScale, "unit " + i);
        }
        hidden.assertWithin();
        sums.assertWithin();

        float[] gradient = new float[CLASSES * m + CLASSES];
        float twoLambda = 0.02f;
        kernels.outputStep(p.g(), n, h, p.second(), twoLambda, 0f, 0, m, gradient);
        Worst dw2 = new Worst("dW2 " + kind);
        for (int k = 0; k < CLASSES; k++) {
            double bias = 0;
            double biasScale = 0;
            for (int j = 0; j < n; j++) {
                bias += p.g()[k * n + j];
                biasScale += Math.abs(p.g()[k * n + j]);
            }
            dw2.check(gradient[CLASSES * m + k], bias, biasScale, "db2 " + k);
            for (int i = 0; i < m; i++) {
                double sum = (double) twoLambda * p.w2()[k * m + i];
                double scale = Math.abs(sum);
                for (int j = 0; j < n; j++) {
                    double term = (double) p.g()[k * n + j] * h[i * n + j];
                    sum += term;
                    scale += Math.abs(term);
                }
                dw2.check(gradient[k * m + i], sum, scale, "class " + k + ", unit " + i);
            }
        }
        dw2.assertWithin();
        float[] w2Before = p.w2().clone();
        float[] b2Before = p.b2().clone();
        int cut = m / 2;
        kernels.outputStep(p.g(), n, h, p.second(), twoLambda, -0.5f, cut, m, null);
        kernels.outputStep(p.g(), n, h, p.second(), twoLambda, -0.5f, 0, cut, null);
        for (int i = 0; i < w2Before.length; i++) {
            assertEquals(Math.fma(-0.5f, gradient[i], w2Before[i]), p.w2()[i], "stepped W2 entry " + i);
        }
        for (int k = 0; k < CLASSES; k++) {
            assertEquals(Math.fma(-0.5f, gradient[CLASSES * m + k], b2Before[k]), p.b2()[k], "stepped b2 " + k);
        }

        Network twin = Network.random(m, n, dim, 7 + m + n);
        TwoLayerKernels scalar = KernelProvider.twoLayerScalar();
        float[] twinS = new float[CLASSES * n];
        scalar.outputScores(h, n, twin.second(), twinS);
        assertArrayEquals(twinS, s, "S against the scalar twin");
        float[] twinG1 = new float[m * n];
        float[] twinSum = new float[m];
        scalar.hiddenGradient(twin.g(), n, twin.second(), h, 0, m, twinG1, twinSum);
        assertArrayEquals(twinG1, g1, "G1 against the scalar twin");
        assertArrayEquals(twinSum, g1Sum, "G1 1 against the scalar twin");
    }

    @ParameterizedTest(name = "{0} m={1} n={2} D={3}")
    @MethodSource("shapes")
    void firstLayerStepMatchesDoubleTheTwinAndSplitsByUnit(String kind, int m, int n, int dim) {
        TwoLayerKernels kernels = kernels(kind);
        Network p = Network.random(m, n, dim, 11 + m + n);
        AlignedFloats packed = packed(kernels, p);
        SplittableRandom r = new SplittableRandom(m * 17L + n);
        float[] g1 = gaussian(r, m * n, 0.01);
        float[] g1Sum = gaussian(r, m, 0.1);
        float twoLambda = 0.02f;
        float[] gradient = new float[m * p.stride() + m];
        kernels.hiddenStep(packed, n, g1, g1Sum, p.first(), twoLambda, 0f, 0, m, gradient);
        Worst dw1 = new Worst("dW1 " + kind);
        for (int i = 0; i < m; i++) {
            for (int d = 0; d < p.padded(); d++) {
                double sum = (double) twoLambda * p.w1()[i * p.stride() + d];
                double scale = Math.abs(sum);
                for (int j = 0; j < n; j++) {
                    double term = d < dim ? (double) g1[i * n + j] * p.feature(j, d) : 0;
                    sum += term;
                    scale += Math.abs(term);
                }
                dw1.check(gradient[i * p.stride() + d], sum, scale, "unit " + i + ", column " + d);
            }
            assertEquals(g1Sum[i], gradient[m * p.stride() + i], "db1 " + i);
        }
        dw1.assertWithin();

        float[] twinGradient = new float[gradient.length];
        KernelProvider.twoLayerScalar().hiddenStep(packed, n, g1, g1Sum, p.first(), twoLambda, 0f, 0, m,
                twinGradient);
        assertArrayEquals(twinGradient, gradient, "dW1 against the scalar twin");

        float[] offsetGradient = new float[gradient.length];
        kernels.hiddenStep(packed, n, g1, g1Sum, p.firstFrom(5), twoLambda, 0f, 0, m, offsetGradient);
        assertArrayEquals(gradient, offsetGradient, "dW1 with W1 read from element 5 of its array");
        DenseLayer offsetFirst = p.firstFrom(5);
        kernels.hiddenStep(packed, n, g1, g1Sum, offsetFirst, twoLambda, -0.25f, 0, m, null);

        float[] w1Before = p.w1().clone();
        float[] b1Before = p.b1().clone();
        int cut = Math.min(m, 4 * ((m / 2 + 3) / 4));
        kernels.hiddenStep(packed, n, g1, g1Sum, p.first(), twoLambda, -0.25f, cut, m, null);
        kernels.hiddenStep(packed, n, g1, g1Sum, p.first(), twoLambda, -0.25f, 0, cut, null);
        for (int i = 0; i < w1Before.length; i++) {
            assertEquals(Math.fma(-0.25f, gradient[i], w1Before[i]), p.w1()[i], "stepped W1 entry " + i);
        }
        for (int i = 0; i < m; i++) {
            assertEquals(Math.fma(-0.25f, g1Sum[i], b1Before[i]), p.b1()[i], "stepped b1 " + i);
        }
        assertArrayEquals(p.w1(), java.util.Arrays.copyOfRange(offsetFirst.w(), 5, offsetFirst.w().length),
                "W1 stepped from element 5 of its array");
        assertArrayEquals(p.b1(), offsetFirst.b(), "b1 stepped beside W1 from element 5");
    }
}
