package org.vectrain.engine.golden;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.compare.RunComparison;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.train.EpochListener;
import org.vectrain.engine.train.TrainConfig;
import org.vectrain.engine.train.Trainer;

/**
 * One epoch (20 steps of 100 images, λ = 0.1, η = 0.01) from the same seeded initialisation, trained by the
 * engine (Vector API kernels, and again the scalar twins) and by the independent double
 * {@link GoldenReference}: all of W and b must agree to {@value #RTOL} in the relative Frobenius norm
 * {@code ||W_float - W_double||_F / ||W_double||_F} (b likewise, by its Euclidean norm). Measured: 1.2e-7
 * for W and 1.3e-7 to 1.9e-7 for b, with the 512-bit and the scalar kernels alike, so 1e-5 is far from
 * flaky yet fails on any change to the method.
 */
class ReferenceAgreementTest {
    static final double RTOL = 1e-5;

    @Test
    void oneEpochOfFloatKernelsMatchesTheDoubleReference() {
        GoldenData data = GoldenData.get();
        SoftmaxModel init = GoldenData.initial(GoldenData.SEED);
        double lambda = 0.1;
        GoldenReference.Result reference = data.reference.train(data.xTrain(), data.yTrain, data.xValidation(),
                data.yValidation, GoldenData.widen(init.weights()), GoldenData.widen(init.bias()), GoldenData.ETA,
                lambda, GoldenData.BATCH, 1);
        float[] wRef = narrowForComparison(reference.w());
        float[] bRef = narrowForComparison(reference.b());
        TrainConfig config = new TrainConfig(lambda, GoldenData.ETA, GoldenData.BATCH, 1, GoldenData.SEED,
                false, false);
        StringBuilder report = new StringBuilder();
        boolean ok = true;
        for (Kernels kernels : new Kernels[] {KernelProvider.kernels(), KernelProvider.scalar()}) {
            SoftmaxModel trained;
            try (WorkerPool pool = new WorkerPool(1)) {
                trained = new Trainer(kernels, pool).train(config, init, data.train, data.validation, null,
                        EpochListener.NONE).model();
            }
            double w = relative(trained.weights(), reference.w());
            double b = relative(trained.bias(), reference.b());
            boolean pass = w <= RTOL && b <= RTOL;
            ok &= pass;
            report.append(String.format(Locale.ROOT, "%s: ‖ΔW‖_F/‖W‖_F = %.2e, ‖Δb‖/‖b‖ = %.2e (tol %.0e) %s%n",
                    kernels.description(), w, b, RTOL, pass ? "OK" : "NOT OK"));
            // the comparison code of `vectrain compare` must agree with this test's own arithmetic
            assertTrue(Math.abs(RunComparison.relativeFrobenius(trained.weights(), wRef) - w) <= 1e-7 + 0.01 * w,
                    "RunComparison.relativeFrobenius");
        }
        System.out.print(report);
        assertTrue(ok, report.toString());
    }

    /** {@code ||x - y|| / ||y||} with y in double, so the reference is not rounded before comparing. */
    static double relative(float[] x, double[] y) {
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            diff += d * d;
            ref += y[i] * y[i];
        }
        return Math.sqrt(diff / ref);
    }

    private static float[] narrowForComparison(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
