package org.vectrain.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.vectrain.engine.kernels.KernelProblems.REL;
import static org.vectrain.engine.kernels.KernelProblems.kernels;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.kernels.scalar.ScalarKernels;
import org.vectrain.engine.layout.ColumnPlanes;
import org.vectrain.engine.layout.SampleBlocks;
import org.vectrain.engine.layout.SampleQuads;
import org.vectrain.engine.kernels.KernelProblems.Problem;
import org.vectrain.engine.kernels.KernelProblems.Worst;
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

    @ParameterizedTest(name = "{0} K={1} n={2} D={3}")
    @MethodSource("shapes")
    void foldMatchesDoubleReference(String kind, int classes, int n, int dim) {
        Problem p = Problem.random(classes, n, dim, 17 + n + dim);
        float[] wOut = new float[classes * dim];
        float[] bOut = new float[classes];
        kernels(kind).fold(p.w(), p.b(), classes, dim, p.a(), p.c(), wOut, bOut);
        Worst w = new Worst("folded W " + kind);
        Worst b = new Worst("folded b " + kind);
        for (int k = 0; k < classes; k++) {
            double shift = p.b()[k];
            double scale = Math.abs(p.b()[k]);
            for (int d = 0; d < dim; d++) {
                double wkd = p.w()[k * dim + d];
                w.check(wOut[k * dim + d], wkd * p.a()[d], Math.abs(wkd * p.a()[d]), "k=" + k + " d=" + d);
                shift += wkd * p.c()[d];
                scale += Math.abs(wkd * p.c()[d]);
            }
            b.check(bOut[k], shift, scale, "k=" + k);
        }
        w.assertWithin();
        b.assertWithin();
    }

    @ParameterizedTest(name = "{0} K={1} n={2} D={3}")
    @MethodSource("shapes")
    void forwardScoresMatchDoubleReference(String kind, int classes, int n, int dim) {
        Problem p = Problem.random(classes, n, dim, 42 + n + dim);
        int ld = n + 3;
        float[] s = new float[classes * ld + 2];
        kernels(kind).forwardScores(new FoldedWeights(p.w(), p.b(), classes, dim),
                RowSource.whole(p.q(), dim, p.rows()), 0, n, new ScoreTile(s, 2, ld));
        Worst worst = new Worst("forward scores " + kind);
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < classes; k++) {
                double expected = p.b()[k];
                double scale = Math.abs(p.b()[k]);
                for (int d = 0; d < dim; d++) {
                    double term = (double) p.w()[k * dim + d] * ScalarKernels.signed(p.q()[p.rows()[j] * dim + d]);
                    expected += term;
                    scale += Math.abs(term);
                }
                worst.check(s[2 + k * ld + j], expected, scale, "k=" + k + " j=" + j);
            }
        }
        worst.assertWithin();
    }

    @ParameterizedTest(name = "{0} K={1} n={2} D={3}")
    @MethodSource("shapes")
    void partialScoresOfTwoColumnRangesAddUpToTheScores(String kind, int classes, int n, int dim) {
        // columns split off the vector grid: [0, split) and [split, dim), each against its double sum
        Problem p = Problem.random(classes, n, dim, 17 + n + dim);
        int split = dim / 2 + (dim > 2 ? 1 : 0);
        int ld = n + 1;
        float[] first = new float[classes * ld + 1];
        float[] second = new float[classes * ld + 1];
        FoldedWeights weights = new FoldedWeights(p.w(), null, classes, dim);
        RowSource images = RowSource.whole(p.q(), dim, p.rows());
        kernels(kind).partialScores(weights, new Columns(0, split, dim), images, 0, n, new ScoreTile(first, 1, ld));
        kernels(kind).partialScores(weights, new Columns(split, dim, dim), images, 0, n, new ScoreTile(second, 1, ld));
        Worst worst = new Worst("partial scores " + kind);
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < classes; k++) {
                double[] expected = new double[2];
                double[] scale = new double[2];
                for (int d = 0; d < dim; d++) {
                    double term = (double) p.w()[k * dim + d] * ScalarKernels.signed(p.q()[p.rows()[j] * dim + d]);
                    int half = d < split ? 0 : 1;
                    expected[half] += term;
                    scale[half] += Math.abs(term);
                }
                worst.check(first[1 + k * ld + j], expected[0], scale[0], "first k=" + k + " j=" + j);
                worst.check(second[1 + k * ld + j], expected[1], scale[1], "second k=" + k + " j=" + j);
            }
        }
        worst.assertWithin();
    }

    @ParameterizedTest(name = "{0} K={1} n={2} D={3}")
    @MethodSource("shapes")
    void foldedForwardEqualsScoresOfTheNormalisedFeatures(String kind, int classes, int n, int dim) {
        // W x + b with x = a q + c, in double, against fold + forward in float
        Problem p = Problem.random(classes, n, dim, 5 + n + dim);
        float[] wOut = new float[classes * dim];
        float[] bOut = new float[classes];
        float[] s = new float[classes * n];
        kernels(kind).fold(p.w(), p.b(), classes, dim, p.a(), p.c(), wOut, bOut);
        kernels(kind).forwardScores(new FoldedWeights(wOut, bOut, classes, dim),
                RowSource.whole(p.q(), dim, p.rows()), 0, n, new ScoreTile(s, 0, n));
        Worst worst = new Worst("folded forward " + kind);
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < classes; k++) {
                double expected = p.b()[k];
                double scale = Math.abs(p.b()[k]);
                for (int d = 0; d < dim; d++) {
                    double q = ScalarKernels.signed(p.q()[p.rows()[j] * dim + d]);
                    double wkd = p.w()[k * dim + d];
                    expected += wkd * (p.a()[d] * q + p.c()[d]);
                    scale += Math.abs(wkd * p.a()[d] * q) + Math.abs(wkd * p.c()[d]);
                }
                worst.check(s[k * n + j], expected, scale, "k=" + k + " j=" + j);
            }
        }
        worst.assertWithin();
    }

    /** W (K x D) transposed to D x K, as {@link Kernels#blockScores} reads it. */
    static float[] transposed(float[] w, int classes, int dim) {
        float[] t = new float[w.length];
        for (int k = 0; k < classes; k++) {
            for (int d = 0; d < dim; d++) {
                t[d * classes + k] = w[k * dim + d];
            }
        }
        return t;
    }

    @ParameterizedTest(name = "{0} K={1} n={2} D={3}")
    @MethodSource("shapes")
    void blockScoresMatchDoubleReference(String kind, int classes, int n, int dim) {
        // The n samples of the set from sample 0 (the last block padded), from a row stride wider than the blocks.
        Problem p = Problem.random(classes, n, dim, 31 + n + dim);
        SampleBlocks blocks = SampleBlocks.relayout(p.q(), n, dim);
        int columns = blocks.blocks() * Kernels.SAMPLE_BLOCK;
        int ld = columns + 5;
        float[] s = new float[classes * ld];
        FoldedWeights folded = new FoldedWeights(transposed(p.w(), classes, dim), p.b(), classes, dim);
        kernels(kind).blockScores(folded, blocks.values(), 0, blocks.blocks(), s, ld);
        Worst worst = new Worst("block scores " + kind);
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < classes; k++) {
                double expected = p.b()[k];
                double scale = Math.abs(p.b()[k]);
                for (int d = 0; d < dim; d++) {
                    double term = (double) p.w()[k * dim + d] * ScalarKernels.signed(p.q()[j * dim + d]);
                    expected += term;
                    scale += Math.abs(term);
                }
                worst.check(s[k * ld + j], expected, scale, "k=" + k + " j=" + j);
            }
        }
        worst.assertWithin();
    }

    /** The shapes of {@link #shapes()} without the kernel kind. */
    static Stream<Arguments> shapesOfBothKinds() {
        return shapes().filter(a -> a.get()[0].equals("vector")).map(a -> Arguments.of(a.get()[1], a.get()[2],
                a.get()[3]));
    }

    @ParameterizedTest(name = "K={0} n={1} D={2}")
    @MethodSource("shapesOfBothKinds")
    void blockScoresAreTheSameBitsInEveryKernel(int classes, int n, int dim) {
        // Each score is one running fused sum over d in both kernels, so they must agree exactly; blocks
        // from the second on (when there is one), so the block offset is exercised.
        Problem p = Problem.random(classes, n, dim, 13 + n + dim);
        SampleBlocks blocks = SampleBlocks.relayout(p.q(), n + 5, dim);
        int first = blocks.blocks() > 1 ? 1 : 0;
        int count = blocks.blocks() - first;
        int ld = count * Kernels.SAMPLE_BLOCK;
        float[] wt = transposed(p.w(), classes, dim);
        float[] vector = new float[classes * ld];
        float[] scalar = new float[classes * ld];
        FoldedWeights folded = new FoldedWeights(wt, p.b(), classes, dim);
        KernelProvider.vector().blockScores(folded, blocks.values(), first, count, vector, ld);
        KernelProvider.scalar().blockScores(folded, blocks.values(), first, count, scalar, ld);
        for (int i = 0; i < vector.length; i++) {
            if (Float.floatToIntBits(vector[i]) != Float.floatToIntBits(scalar[i])) {
                fail("block score k=" + i / ld + " column " + i % ld + ": vector " + vector[i] + ", scalar "
                        + scalar[i]);
            }
        }
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
    void foldColumnsMatchesDoubleReferenceOnARange(String kind, int classes, int n, int dim) {
        // columns [from, to) off the vector grid; outside them W' is untouched
        Problem p = Problem.random(classes, n, dim, 61 + n + dim);
        int from = Math.min(3, dim - 1);
        int to = Math.max(from + 1, dim - 2);
        float[] wOut = new float[classes * dim];
        float[] shift = new float[classes + 2];
        kernels(kind).foldColumns(p.w(), classes, new Affine(p.a(), p.c()), wOut, shift, 2, new Columns(from, to, dim));
        Worst w = new Worst("folded W' columns " + kind);
        Worst b = new Worst("partial shift " + kind);
        for (int k = 0; k < classes; k++) {
            double expected = 0;
            double scale = 0;
            for (int d = 0; d < dim; d++) {
                double wkd = p.w()[k * dim + d];
                boolean inside = d >= from && d < to;
                w.check(wOut[k * dim + d], inside ? wkd * p.a()[d] : 0, Math.abs(wkd * p.a()[d]), "k=" + k + " d=" + d);
                if (inside) {
                    expected += wkd * p.c()[d];
                    scale += Math.abs(wkd * p.c()[d]);
                }
            }
            b.check(shift[2 + k], expected, scale, "k=" + k);
        }
        w.assertWithin();
        b.assertWithin();
    }

    @ParameterizedTest(name = "{0} K={1} n={2} D={3}")
    @MethodSource("shapes")
    void trainingStepKernelsMatchDoubleReference(String kind, int classes, int n, int dim) {
        // The step's pair as SgdStep runs it, strip by strip: gradientPart, then stepFromGradient on it, against
        // W - eta (G X + 2 lambda W) with X = a q + c, in double.
        Problem p = Problem.random(classes, n, dim, 99 + n * 31 + dim);
        SplittableRandom r = new SplittableRandom(5);
        float[] g = new float[classes * n];
        float[] gSum = new float[classes];
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < n; j++) {
                g[k * n + j] = (float) (r.nextGaussian() / n);
                gSum[k] += g[k * n + j];
            }
        }
        float twoLambda = 0.2f;
        float eta = 0.05f;
        // scale = sum of |parts| the kernels add
        double[][] grad = new double[classes][dim];
        double[][] scale = new double[classes][dim];
        for (int k = 0; k < classes; k++) {
            for (int d = 0; d < dim; d++) {
                double w = p.w()[k * dim + d];
                double sum = twoLambda * w;
                double magnitude = Math.abs(twoLambda * w) + Math.abs(gSum[k] * p.c()[d]);
                for (int j = 0; j < n; j++) {
                    double q = ScalarKernels.signed(p.q()[p.rows()[j] * dim + d]);
                    double gkj = g[k * n + j];
                    sum += gkj * (p.a()[d] * q + p.c()[d]);
                    magnitude += Math.abs(gkj * p.a()[d] * q);
                }
                grad[k][d] = sum;
                scale[k][d] = magnitude;
            }
        }
        float[] gT = new float[classes * n];
        Kernels.transpose(g, classes, n, gT);
        int strip = 7 * 32; // strips of whole gradient tiles, the last one ending off the vector grid where D does
        float[] w = p.w().clone();
        float[][] gradient = {new float[classes * dim]};
        float[] shift = new float[((dim + strip - 1) / strip) * classes];
        for (int d0 = 0; d0 < dim; d0 += strip) {
            int d1 = Math.min(dim, d0 + strip);
            Columns columns = new Columns(d0, d1, dim);
            kernels(kind).gradientPart(gT, classes, 0, n, RowSource.whole(p.q(), dim, p.rows()), 0, gradient[0],
                    columns);
            kernels(kind).stepFromGradient(gradient[0], gSum, new Affine(p.a(), p.c()),
                    new StepTarget(classes, w, null, new float[classes * dim], shift, strip), twoLambda, -eta, columns);
        }
        Worst update = new Worst("training step " + kind);
        for (int k = 0; k < classes; k++) {
            for (int d = 0; d < dim; d++) {
                double w0 = p.w()[k * dim + d];
                update.check(w[k * dim + d], w0 - eta * grad[k][d], Math.abs(w0) + eta * scale[k][d],
                        "k=" + k + " d=" + d);
            }
        }
        update.assertWithin();
    }

    @ParameterizedTest(name = "{0} K={1} n={2} D={3}")
    @MethodSource("shapes")
    void gradientPartMatchesDoubleReference(String kind, int classes, int n, int dim) {
        // samples [jFrom, jFrom + count) of a K x n gradient, through a shuffled row list, all columns at once
        // and again in ranges of 32 columns, which must give the same bits
        Problem p = Problem.random(classes, n, dim, 71 + n + dim);
        SplittableRandom r = new SplittableRandom(9 + n);
        float[] g = new float[classes * n];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (r.nextGaussian() / n);
        }
        int jFrom = n / 3;
        int count = n - jFrom;
        float[] gT = new float[classes * n];
        Kernels.transpose(g, classes, n, gT);
        float[] out = new float[classes * dim];
        RowSource images = RowSource.whole(p.q(), dim, p.rows());
        kernels(kind).gradientPart(gT, classes, jFrom, count, images, 0, out, Columns.all(dim));
        float[] ranged = new float[classes * dim];
        for (int d0 = 0; d0 < dim; d0 += 32) {
            kernels(kind).gradientPart(gT, classes, jFrom, count, images, 0, ranged,
                    new Columns(d0, Math.min(dim, d0 + 32), dim));
        }
        assertArrayEquals(out, ranged, "the same columns computed in ranges of 32");
        Worst worst = new Worst("gradient part " + kind);
        for (int k = 0; k < classes; k++) {
            for (int d = 0; d < dim; d++) {
                double expected = 0;
                double scale = 0;
                for (int j = jFrom; j < jFrom + count; j++) {
                    double term = (double) g[k * n + j] * ScalarKernels.signed(p.q()[p.rows()[j] * dim + d]);
                    expected += term;
                    scale += Math.abs(term);
                }
                worst.check(out[k * dim + d], expected, scale, "k=" + k + " d=" + d);
            }
        }
        worst.assertWithin();
    }

    @ParameterizedTest(name = "{0} K={1} n={2} D={3}")
    @MethodSource("shapes")
    void columnPlanesGiveTheBitsOfWholeRows(String kind, int classes, int n, int dim) {
        // three planes, their bounds off the vector grid; each kernel on each plane's columns against the same
        // columns read from whole rows: the addressing differs, the arithmetic must not
        Problem p = Problem.random(classes, n, dim, 97 + n + dim);
        int[] bounds = {0, dim / 3, 2 * dim / 3 + (dim > 2 ? 1 : 0), dim};
        ColumnPlanes planes = ColumnPlanes.relayout(p.q(), n + 5, dim, bounds);
        SplittableRandom r = new SplittableRandom(13 + n);
        float[] gT = new float[classes * n];
        for (int i = 0; i < gT.length; i++) {
            gT[i] = (float) (r.nextGaussian() / n);
        }
        int ld = n + 2;
        for (int plane = 0; plane < planes.planes(); plane++) {
            int d0 = bounds[plane];
            int d1 = bounds[plane + 1];
            String what = kind + ", plane " + plane + " (columns " + d0 + ".." + d1 + ")";
            float[] fromRows = new float[classes * ld + 1];
            float[] fromPlane = new float[classes * ld + 1];
            FoldedWeights weights = new FoldedWeights(p.w(), p.b(), classes, dim);
            Columns columns = new Columns(d0, d1, dim);
            RowSource rowImages = RowSource.whole(p.q(), dim, p.rows());
            RowSource planeImages = new RowSource(planes.plane(plane), planes.width(plane), planes.firstColumn(plane),
                    p.rows());
            kernels(kind).partialScores(weights, columns, rowImages, 0, n, new ScoreTile(fromRows, 1, ld));
            kernels(kind).partialScores(weights, columns, planeImages, 0, n, new ScoreTile(fromPlane, 1, ld));
            assertArrayEquals(fromRows, fromPlane, "partial scores, " + what);
            float[] gradientFromRows = new float[classes * dim];
            float[] gradientFromPlane = new float[classes * dim];
            kernels(kind).gradientPart(gT, classes, 0, n, rowImages, 0, gradientFromRows, columns);
            kernels(kind).gradientPart(gT, classes, 0, n, planeImages, 0, gradientFromPlane, columns);
            assertArrayEquals(gradientFromRows, gradientFromPlane, "gradient, " + what);
        }
    }

    @ParameterizedTest(name = "{0} K={1} n={2} D={3}")
    @MethodSource("shapes")
    void sampleQuadsGiveTheBitsOfWholeRows(String kind, int classes, int n, int dim) {
        // the batch from image 0 and from image 4, three planes whose bounds are off the vector grid, each from
        // its first column and from a whole unit in: scores and gradient from the quads against the same images
        // and columns read from whole rows
        assumeTrue(kind.equals("scalar") || kernels(kind).readsQuads(), "the vector quad kernels need 16 lanes");
        Problem p = Problem.random(classes, n, dim, 61 + n + dim);
        int images = p.q().length / dim;
        int[] bounds = {0, dim / 3, 2 * dim / 3 + (dim > 2 ? 1 : 0), dim};
        SampleQuads quads = SampleQuads.relayout(p.q(), images, dim, bounds);
        SplittableRandom r = new SplittableRandom(17 + n);
        float[] gT = new float[classes * n];
        for (int i = 0; i < gT.length; i++) {
            gT[i] = (float) (r.nextGaussian() / n);
        }
        int ld = n + 2;
        for (int first = 0; first + n <= images; first += SampleQuads.MEMBERS) {
            int[] inOrder = new int[n];
            for (int j = 0; j < n; j++) {
                inOrder[j] = first + j;
            }
            for (int range = 0; range < 2 * quads.planes(); range++) {
                int plane = range / 2;
                int d0 = bounds[plane] + (range % 2) * SampleQuads.UNIT;
                int d1 = bounds[plane + 1];
                if (d0 > d1) {
                    continue;
                }
                String what = kind + ", from image " + first + ", plane " + plane + " (columns " + d0 + ".." + d1
                        + ")";
                float[] fromRows = new float[classes * ld + 1];
                float[] fromQuads = new float[classes * ld + 1];
                FoldedWeights weights = new FoldedWeights(p.w(), null, classes, dim);
                Columns columns = new Columns(d0, d1, dim);
                QuadSource quadImages = new QuadSource(quads.plane(plane), quads.width(plane),
                        quads.firstColumn(plane));
                kernels(kind).partialScores(weights, columns, RowSource.whole(p.q(), dim, inOrder), 0, n,
                        new ScoreTile(fromRows, 1, ld));
                kernels(kind).quadScores(weights, columns, quadImages, first, n, new ScoreTile(fromQuads, 1, ld));
                assertArrayEquals(fromRows, fromQuads, "partial scores, " + what);
                // the gradient in batch order and in the problem's scattered order
                for (int[] rows : new int[][] {inOrder, p.rows()}) {
                    float[] gradientFromRows = new float[classes * dim];
                    float[] gradientFromQuads = new float[classes * dim];
                    kernels(kind).gradientPart(gT, classes, 0, n, RowSource.whole(p.q(), dim, rows), 0,
                            gradientFromRows, columns);
                    kernels(kind).quadGradient(gT, classes, n, quadImages, rows, 0, gradientFromQuads, columns);
                    assertArrayEquals(gradientFromRows, gradientFromQuads, "gradient, " + what);
                }
            }
            if (first >= SampleQuads.MEMBERS) {
                break;
            }
        }
    }

    @ParameterizedTest(name = "{0} K={1} n={2} D={3}")
    @MethodSource("shapes")
    void stepFromGradientMatchesDoubleReferenceAndRefoldsLikeFoldColumns(String kind, int classes, int n, int dim) {
        Problem p = Problem.random(classes, n, dim, 83 + n + dim);
        SplittableRandom r = new SplittableRandom(11 + dim);
        float[] gradient = new float[classes * dim];
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] = (float) r.nextGaussian();
        }
        float[] gSum = new float[classes];
        for (int k = 0; k < classes; k++) {
            gSum[k] = (float) (0.1 * r.nextGaussian());
        }
        float twoLambda = 0.2f;
        float eta = 0.05f;
        int strip = 7 * LANES + 3; // strips that end off the vector grid
        int from = dim > strip ? strip : 0;
        float[] w = p.w().clone();
        float[] folded = new float[classes * dim];
        int strips = (dim + strip - 1) / strip;
        float[] shift = new float[strips * classes];
        kernels(kind).stepFromGradient(gradient, gSum, new Affine(p.a(), p.c()),
                new StepTarget(classes, w, null, folded, shift, strip), twoLambda, -eta, new Columns(from, dim, dim));
        Worst update = new Worst("step from gradient " + kind);
        Worst fold = new Worst("refolded W' " + kind);
        for (int k = 0; k < classes; k++) {
            for (int d = 0; d < dim; d++) {
                int at = k * dim + d;
                double w0 = p.w()[at];
                if (d < from) {
                    update.check(w[at], w0, 0, "untouched k=" + k + " d=" + d);
                    continue;
                }
                double a = gradient[at];
                double grad = a * p.a()[d] + gSum[k] * p.c()[d] + twoLambda * w0;
                double magnitude = Math.abs(gradient[at]) * p.a()[d]
                        + Math.abs(gSum[k] * p.c()[d]) + Math.abs(twoLambda * w0);
                update.check(w[at], w0 - eta * grad, Math.abs(w0) + eta * magnitude, "k=" + k + " d=" + d);
                fold.check(folded[at], (double) w[at] * p.a()[d], Math.abs(w[at] * p.a()[d]), "k=" + k + " d=" + d);
            }
        }
        update.assertWithin();
        fold.assertWithin();
        // The strip shifts are those foldColumns gives for the new W, bit for bit: a fresh fold and a
        // refold must give the same b'.
        float[] fresh = new float[classes];
        for (int s0 = from; s0 < dim; s0 += strip) {
            kernels(kind).foldColumns(w, classes, new Affine(p.a(), p.c()), new float[classes * dim], fresh, 0,
                    new Columns(s0, Math.min(dim, s0 + strip), dim));
            for (int k = 0; k < classes; k++) {
                assertEquals(fresh[k], shift[s0 / strip * classes + k], "shift of strip " + s0 / strip + " k=" + k);
            }
        }
        // With a copy to keep current: the same step, bit for bit, and the copy holds the new W on the stepped
        // columns and nothing else changes in it
        float[] stepped = p.w().clone();
        float[] copy = new float[classes * dim];
        java.util.Arrays.fill(copy, -3f);
        float[] foldedAgain = new float[classes * dim];
        float[] shiftAgain = new float[strips * classes];
        kernels(kind).stepFromGradient(gradient, gSum, new Affine(p.a(), p.c()),
                new StepTarget(classes, stepped, copy, foldedAgain, shiftAgain, strip), twoLambda, -eta,
                new Columns(from, dim, dim));
        assertArrayEquals(w, stepped, "W stepped with a copy");
        assertArrayEquals(folded, foldedAgain, "W' stepped with a copy");
        assertArrayEquals(shift, shiftAgain, "shifts stepped with a copy");
        for (int k = 0; k < classes; k++) {
            for (int d = 0; d < dim; d++) {
                float expected = d < from ? -3f : w[k * dim + d];
                assertEquals(expected, copy[k * dim + d], "copy k=" + k + " d=" + d);
            }
        }
    }

    @ParameterizedTest(name = "{0} K={1} n={2}")
    @MethodSource("shapes")
    void sumOfSquaresMatchesDoubleReference(String kind, int classes, int n, int dim) {
        Problem p = Problem.random(classes, n * 7, dim, 3);
        float[] x = new float[p.q().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = p.q()[i] * p.a()[i % dim];
        }
        double expected = 0;
        for (int i = 1; i < x.length; i++) {
            expected += (double) x[i] * x[i];
        }
        double actual = kernels(kind).sumOfSquares(x, 1, x.length);
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
}
