package org.vectrain.engine.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.InputException;
import org.vectrain.engine.check.GradientCheck.Comparison;
import org.vectrain.engine.check.GradientCheck.Row;
import org.vectrain.engine.check.GradientCheck.Setting;
import org.vectrain.engine.data.BinaryCifarSource;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.data.Normalization;
import org.vectrain.engine.kernels.Affine;
import org.vectrain.engine.kernels.Columns;
import org.vectrain.engine.kernels.FoldedWeights;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.LossAccumulator;
import org.vectrain.engine.kernels.QuadSource;
import org.vectrain.engine.kernels.RowSource;
import org.vectrain.engine.kernels.ScoreTile;
import org.vectrain.engine.kernels.StepTarget;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.reference.DoubleReference;

/**
 * The gradient check passes on synthetic and real data with the correct gradients, and fails when
 * the analytic gradient or the float kernels are wrong. Runs check a reduced number of full-model
 * entries to keep the test to a few seconds.
 */
class GradientCheckTest {
    static final int DIM = LabeledImages.PIXELS;
    /** Full-model W entries per run here: enough to exercise the draw, small enough to be quick. */
    static final int ENTRIES = 30;

    static DataSet synthetic;

    @BeforeAll
    static void syntheticData() {
        // Uniform pixels under an affine map that makes them roughly N(0, 1), like normalised
        // images, with uniform labels.
        SplittableRandom r = new SplittableRandom(2024);
        int n = GradientCheck.BATCH;
        byte[] pixels = new byte[n * DIM];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) r.nextInt(256);
        }
        float[] scale = new float[DIM];
        float[] shift = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            scale[d] = 1f / 74;
            shift[d] = (float) (0.2 * r.nextGaussian());
        }
        int[] labels = new int[n];
        for (int j = 0; j < n; j++) {
            labels[j] = r.nextInt(GradientCheck.CLASSES);
        }
        synthetic = new DataSet("synthetic", pixels, labels, DIM, scale, shift);
    }

    @Test
    void syntheticDataPassesEverySettingWithVectorKernels() {
        List<Row> rows = new GradientCheck(KernelProvider.vector(), 7, ENTRIES).run(synthetic);
        assertShape(rows);
        assertAllPass(rows);
    }

    @Test
    void syntheticDataPassesEverySettingWithScalarKernels() {
        List<Row> rows = new GradientCheck(KernelProvider.scalar(), 8, ENTRIES).run(synthetic);
        assertAllPass(rows);
    }

    @Test
    void realDataPassesEverySetting() {
        String folder = System.getenv("VECTRAIN_TEST_DATA");
        boolean present = folder != null && !folder.isBlank() && BinaryCifarSource.recognises(Path.of(folder));
        if (!present) {
            System.out.println("SKIPPED GradientCheckTest.realDataPassesEverySetting: no CIFAR-10 binary batches"
                    + " (set -Dvectrain.data=DIR)");
        }
        Assumptions.assumeTrue(present, "real CIFAR-10 not found: VECTRAIN_TEST_DATA='" + folder
                + "' (set -Dvectrain.data=.../cifar-10-batches-bin)");
        LabeledImages images = new BinaryCifarSource(Path.of(folder)).read("data_batch_1");
        DataSet train = DataSet.of("data_batch_1", images, Normalization.fit(images));
        List<Row> rows = new GradientCheck(KernelProvider.kernels(), GradientCheck.DEFAULT_SEED, 60).run(train);
        assertShape(rows);
        assertAllPass(rows);
    }

    @Test
    void droppedRegularisationTermFailsOnlyWhereLambdaIsPositive() {
        // dW without + 2 lambda W: right at lambda = 0, wrong by 2 lambda |W| ~ 2e-3 otherwise.
        GradientCheck.AnalyticGradient noRegulariser = (w, b, classes, dim, x, labels, rows, lambda, dw, db) ->
                DoubleReference.gradients(w, b, classes, dim, x, labels, rows, 0, dw, db);
        GradientCheck check = new GradientCheck(KernelProvider.vector(), 3, ENTRIES, noRegulariser);
        List<Row> unregularised = check.check(synthetic, Setting.of(GradientCheck.REDUCED_DIM, 100, 0, 200));
        assertAllPass(unregularised);
        List<Row> regularised = check.check(synthetic, Setting.of(GradientCheck.REDUCED_DIM, 100, 0.1, 200));
        assertFalse(row(regularised, Comparison.NUMERIC, "W").passed(), "numeric W must fail");
        assertFalse(row(regularised, Comparison.FLOAT, "W").passed(), "float W must fail");
        // b is not regularised, so its gradient is still right.
        assertTrue(row(regularised, Comparison.NUMERIC, "b").passed());
        assertTrue(row(regularised, Comparison.FLOAT, "b").passed());
        assertFalse(GradientCheck.allPassed(regularised));
    }

    @Test
    void aRelativeSlipOfOneInTenThousandFails() {
        // A factor of 1 + 1e-4 on both gradients: relative error 5e-5, far over 1e-6.
        GradientCheck.AnalyticGradient slipped = (w, b, classes, dim, x, labels, rows, lambda, dw, db) -> {
            DoubleReference.gradients(w, b, classes, dim, x, labels, rows, lambda, dw, db);
            for (int i = 0; i < dw.length; i++) {
                dw[i] *= 1 + 1e-4;
            }
            for (int k = 0; k < db.length; k++) {
                db[k] *= 1 + 1e-4;
            }
        };
        GradientCheck check = new GradientCheck(KernelProvider.vector(), 4, ENTRIES, slipped);
        List<Row> rows = check.check(synthetic, Setting.of(GradientCheck.REDUCED_DIM, 1, 0, 200));
        Row w = row(rows, Comparison.NUMERIC, "W");
        Row b = row(rows, Comparison.NUMERIC, "b");
        assertFalse(w.passed(), "numeric W must fail: " + w);
        assertFalse(b.passed(), "numeric b must fail: " + b);
        assertEquals(5e-5, w.maxRelError(), 1e-6, "relative error of a 1e-4 slip");
    }

    @Test
    void floatKernelsThatDropTheRegulariserFail() {
        Kernels broken = new DelegatingKernels(KernelProvider.vector()) {
            @Override
            public void stepFromGradient(float[] gradient, float[] gSum, Affine map, StepTarget target,
                    float twoLambda, float scale, Columns columns) {
                super.stepFromGradient(gradient, gSum, map, target, 0f, scale, columns);
            }
        };
        List<Row> rows = new GradientCheck(broken, 5, ENTRIES)
                .check(synthetic, Setting.of(GradientCheck.REDUCED_DIM, 100, 0.1, 200));
        assertFalse(row(rows, Comparison.FLOAT, "W").passed(), "float W must fail");
        assertTrue(row(rows, Comparison.NUMERIC, "W").passed(), "the double check does not use the kernels");
    }

    @Test
    void sameSeedGivesTheSameRowsAndEntriesAreDrawnFromIt() {
        Setting full = Setting.of(DIM, 100, 0.1, 12);
        List<Row> a = new GradientCheck(KernelProvider.scalar(), 11, 12).check(synthetic, full);
        List<Row> b = new GradientCheck(KernelProvider.scalar(), 11, 12).check(synthetic, full);
        assertEquals(a, b);
        assertEquals(12, row(a, Comparison.NUMERIC, "W").entries());
        assertEquals(GradientCheck.CLASSES * DIM, row(a, Comparison.FLOAT, "W").entries());
    }

    @Test
    void invalidInputIsRejectedWithTheFlagOrSetNamed() {
        InputException entries = assertThrows(InputException.class,
                () -> new GradientCheck(KernelProvider.scalar(), 1, 0));
        assertTrue(entries.getMessage().startsWith("entries "), entries.getMessage());
        DataSet tiny = synthetic.head(10);
        InputException size = assertThrows(InputException.class,
                () -> new GradientCheck(KernelProvider.scalar(), 1, 5).check(tiny, Setting.of(DIM, 100, 0, 5)));
        assertTrue(size.getMessage().contains("synthetic has 10"), size.getMessage());
        // a whole run on a set under 100 samples checks batches of all of them instead
        List<Row> small = new GradientCheck(KernelProvider.scalar(), 1, 5).run(tiny);
        assertTrue(small.stream().anyMatch(r -> r.setting().contains("n=10")), small.toString());
        assertTrue(GradientCheck.allPassed(small), small.toString());
    }

    static void assertShape(List<Row> rows) {
        // 6 settings x (numeric W, numeric b, float W, float b)
        assertEquals(24, rows.size());
        for (Row r : rows) {
            if (r.parameter().equals("b")) {
                assertEquals(GradientCheck.CLASSES, r.entries(), r.toString());
            }
        }
    }

    static void assertAllPass(List<Row> rows) {
        String failures = rows.stream().filter(r -> !r.passed()).map(Row::toString)
                .collect(Collectors.joining("\n  "));
        assertTrue(failures.isEmpty(), "rows over threshold:\n  " + failures);
    }

    static Row row(List<Row> rows, Comparison comparison, String parameter) {
        return rows.stream().filter(r -> r.comparison() == comparison && r.parameter().equals(parameter))
                .findFirst().orElseThrow();
    }

    /** Forwards every kernel to another implementation, so a test can break one of them. */
    static class DelegatingKernels implements Kernels {
        private final Kernels inner;

        DelegatingKernels(Kernels inner) {
            this.inner = inner;
        }

        @Override
        public String description() {
            return "broken " + inner.description();
        }

        @Override
        public int lanes() {
            return inner.lanes();
        }

        @Override
        public void fold(float[] w, float[] b, int classes, int dim, float[] a, float[] c, float[] wOut,
                float[] bOut) {
            inner.fold(w, b, classes, dim, a, c, wOut, bOut);
        }

        @Override
        public void partialScores(FoldedWeights weights, Columns columns, RowSource images, int rowStart, int n,
                ScoreTile out) {
            inner.partialScores(weights, columns, images, rowStart, n, out);
        }

        @Override
        public void quadScores(FoldedWeights weights, Columns columns, QuadSource images, int first, int n,
                ScoreTile out) {
            inner.quadScores(weights, columns, images, first, n, out);
        }

        @Override
        public void quadGradient(float[] g, int classes, int count, QuadSource images, int[] rows, int rowStart,
                float[] out, Columns columns) {
            inner.quadGradient(g, classes, count, images, rows, rowStart, out, columns);
        }

        @Override
        public void blockScores(FoldedWeights transposed, byte[] q, int firstBlock, int blockCount, float[] s,
                int ldS) {
            inner.blockScores(transposed, q, firstBlock, blockCount, s, ldS);
        }

        @Override
        public void softmaxCrossEntropy(float[] s, int classes, int n, int[] labels, float[] g, float gScale,
                int[] predictions, int predOffset, LossAccumulator acc) {
            inner.softmaxCrossEntropy(s, classes, n, labels, g, gScale, predictions, predOffset, acc);
        }

        @Override
        public void foldColumns(float[] w, int classes, Affine map, float[] wOut, float[] shiftOut, int shiftOffset,
                Columns columns) {
            inner.foldColumns(w, classes, map, wOut, shiftOut, shiftOffset, columns);
        }

        @Override
        public void gradientPart(float[] g, int classes, int jFrom, int count, RowSource images, int rowStart,
                float[] out, Columns columns) {
            inner.gradientPart(g, classes, jFrom, count, images, rowStart, out, columns);
        }

        @Override
        public void stepFromGradient(float[] gradient, float[] gSum, Affine map, StepTarget target, float twoLambda,
                float scale, Columns columns) {
            inner.stepFromGradient(gradient, gSum, map, target, twoLambda, scale, columns);
        }

        @Override
        public double sumOfSquares(float[] a, int from, int to) {
            return inner.sumOfSquares(a, from, to);
        }
    }
}
