package org.vectrain.engine.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.check.GradientCheck.Comparison;
import org.vectrain.engine.check.GradientCheck.Row;
import org.vectrain.engine.data.BinaryCifarSource;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.data.Normalization;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.reference.TwoLayerReference;

/**
 * The two-layer gradient check passes with the right gradients (synthetic data with the vector and the scalar
 * kernels, real CIFAR-10 where present) and fails where the analytic gradient is wrong.
 */
class TwoLayerGradientCheckTest {
    private static final int HIDDEN = 50;

    @BeforeAll
    static void syntheticData() {
        GradientCheckTest.syntheticData();
    }

    private static TwoLayerGradientCheck check(boolean vector, TwoLayerGradientCheck.Analytic analytic) {
        Kernels oneLayer = vector ? KernelProvider.vector() : KernelProvider.scalar();
        return new TwoLayerGradientCheck(vector ? KernelProvider.twoLayerVector() : KernelProvider.twoLayerScalar(),
                oneLayer::softmaxCrossEntropy, 7, 30, HIDDEN, analytic);
    }

    private static void assertAllPass(List<Row> rows) {
        assertEquals(6 * 8, rows.size());
        for (Row row : rows) {
            assertTrue(row.passed(), row.setting() + " " + row.comparison().label() + " " + row.parameter() + ": "
                    + row.maxRelError() + " at " + row.worstEntry());
        }
    }

    @Test
    void syntheticDataPassesWithVectorAndScalarKernels() {
        assertAllPass(check(true, TwoLayerReference::gradients).run(GradientCheckTest.synthetic));
        assertAllPass(check(false, TwoLayerReference::gradients).run(GradientCheckTest.synthetic));
    }

    @Test
    void realDataPasses() {
        String folder = System.getenv("VECTRAIN_TEST_DATA");
        boolean present = folder != null && !folder.isBlank() && BinaryCifarSource.recognises(Path.of(folder));
        if (!present) {
            System.out.println("SKIPPED TwoLayerGradientCheckTest.realDataPasses: no CIFAR-10 binary batches"
                    + " (set -Dvectrain.data=DIR)");
        }
        Assumptions.assumeTrue(present, "real CIFAR-10 not found (set -Dvectrain.data=.../cifar-10-batches-bin)");
        LabeledImages images = new BinaryCifarSource(Path.of(folder)).read("data_batch_1");
        DataSet train = DataSet.of("data_batch_1", images, Normalization.fit(images));
        assertAllPass(new TwoLayerGradientCheck(KernelProvider.twoLayerKernels(),
                KernelProvider.kernels()::softmaxCrossEntropy, GradientCheck.DEFAULT_SEED, 60, HIDDEN).run(train));
    }

    @Test
    void firstLayerGradientsOffByOneInTenThousandFail() {
        TwoLayerGradientCheck.Analytic slipped = (p, x, labels, rows, lambda) -> {
            TwoLayerReference.Gradients right = TwoLayerReference.gradients(p, x, labels, rows, lambda);
            double[] b1 = right.b1().clone();
            for (int i = 0; i < b1.length; i++) {
                b1[i] *= 1.0001;
            }
            double[] w1 = right.w1().clone();
            w1[w1.length / 2] += 1e-4 * Math.abs(w1[w1.length / 2]) + 1e-6;
            return new TwoLayerReference.Gradients(w1, b1, right.w2(), right.b2());
        };
        List<Row> rows = check(true, slipped).run(GradientCheckTest.synthetic);
        for (Row row : rows) {
            if (row.comparison() == Comparison.NUMERIC && row.parameter().equals("b1")) {
                assertFalse(row.passed(), "b1 off by 1e-4 passed in " + row.setting());
            }
            if (row.comparison() == Comparison.NUMERIC && (row.parameter().equals("W2")
                    || row.parameter().equals("b2"))) {
                assertTrue(row.passed(), row.setting() + " " + row.parameter());
            }
        }
    }

    @Test
    void aDroppedRegulariserOfW2FailsOnlyWhereLambdaIsPositive() {
        TwoLayerGradientCheck.Analytic dropped = (p, x, labels, rows, lambda) -> {
            TwoLayerReference.Gradients right = TwoLayerReference.gradients(p, x, labels, rows, lambda);
            double[] w2 = right.w2().clone();
            for (int i = 0; i < w2.length; i++) {
                w2[i] -= 2 * lambda * p.w2()[i];
            }
            return new TwoLayerReference.Gradients(right.w1(), right.b1(), w2, right.b2());
        };
        for (Row row : check(true, dropped).run(GradientCheckTest.synthetic)) {
            boolean wrong = row.parameter().equals("W2") && !row.setting().endsWith("λ=0");
            assertEquals(!wrong, row.passed(), row.setting() + " " + row.comparison().label() + " " + row.parameter());
        }
    }
}
