package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.LossAccumulator;
import org.vectrain.engine.kernels.LossKernel;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.reference.DoubleReference;

/**
 * The SVM and binary cross-entropy losses get the softmax's checks: analytic gradients against centred
 * differences in double (relative error {@code |a - n| / max(eps, |a| + |n|)} below 1e-6), and the float
 * kernels (Vector API and scalar twin) against the double reference at an awkward size, then a whole step.
 */
class LossGradientTest {
    static final int K = 10;

    /** Loss of one sample (scores of K classes) in double, and its gradient into {@code g} when not null. */
    static double reference(Loss loss, double[] s, int y, double[] g) {
        double total = 0;
        switch (loss) {
            case SVM -> {
                int active = 0;
                for (int k = 0; k < K; k++) {
                    double m = s[k] - s[y] + 1;
                    boolean on = k != y && m > 0;
                    total += on ? m : 0;
                    active += on ? 1 : 0;
                    if (g != null) {
                        g[k] = on ? 1 : 0;
                    }
                }
                if (g != null) {
                    g[y] = -active;
                }
            }
            case BCE -> {
                for (int k = 0; k < K; k++) {
                    double p = 1 / (1 + Math.exp(-s[k]));
                    double t = k == y ? 1 : 0;
                    total -= (t * Math.log(p) + (1 - t) * Math.log(1 - p)) / K;
                    if (g != null) {
                        g[k] = (p - t) / K;
                    }
                }
            }
            default -> throw new IllegalArgumentException(loss.name());
        }
        return total;
    }

    /** J(W, b) = mean loss + λ ||W||^2 on features x (n x d), in double. */
    static double cost(Loss loss, double[] w, double[] b, int d, double[] x, int[] labels, double lambda) {
        int n = labels.length;
        double sum = 0;
        double[] s = new double[K];
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < K; k++) {
                double dot = b[k];
                for (int i = 0; i < d; i++) {
                    dot += w[k * d + i] * x[j * d + i];
                }
                s[k] = dot;
            }
            sum += reference(loss, s, labels[j], null);
        }
        double reg = 0;
        for (double v : w) {
            reg += v * v;
        }
        return sum / n + lambda * reg;
    }

    /** dJ/dW (first K*d entries) and dJ/db (last K) by the chain rule through the reference's dL/ds. */
    static double[] analytic(Loss loss, double[] w, double[] b, int d, double[] x, int[] labels, double lambda) {
        int n = labels.length;
        double[] grad = new double[K * d + K];
        double[] s = new double[K];
        double[] g = new double[K];
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < K; k++) {
                double dot = b[k];
                for (int i = 0; i < d; i++) {
                    dot += w[k * d + i] * x[j * d + i];
                }
                s[k] = dot;
            }
            reference(loss, s, labels[j], g);
            for (int k = 0; k < K; k++) {
                for (int i = 0; i < d; i++) {
                    grad[k * d + i] += g[k] * x[j * d + i] / n;
                }
                grad[K * d + k] += g[k] / n;
            }
        }
        for (int i = 0; i < K * d; i++) {
            grad[i] += 2 * lambda * w[i];
        }
        return grad;
    }

    /**
     * {@code |a - b| / max(eps, |a| + |b|)}. eps = 1e-3 because centred differences of a cost of order 10
     * (the SVM's) in double carry about 2e-10 of rounding noise at h = 1e-5: an entry that is exactly 0 (a
     * bias whose margins cancel) could not be confirmed to 1e-6 relative otherwise.
     */
    static double relative(double a, double b) {
        return Math.abs(a - b) / Math.max(1e-3, Math.abs(a) + Math.abs(b));
    }

    @Test
    void analyticGradientsMatchCentredDifferences() {
        int d = 20;
        int n = 50;
        DataSet data = TrainFixtures.synthetic(n, 4).crop(n, d);
        double[] x = DoubleReference.features(data);
        for (Loss loss : new Loss[] {Loss.SVM, Loss.BCE}) {
            SplittableRandom random = new SplittableRandom(9);
            double[] w = new double[K * d];
            double[] b = new double[K];
            for (int i = 0; i < w.length; i++) {
                w[i] = 0.3 * random.nextGaussian();
            }
            for (int k = 0; k < K; k++) {
                b[k] = 0.3 * random.nextGaussian();
            }
            double lambda = 0.1;
            double[] a = analytic(loss, w, b, d, x, data.labels(), lambda);
            double h = 1e-5;
            double worst = 0;
            int where = -1;
            double[] pair = new double[2];
            for (int i = 0; i < a.length; i++) {
                double[] p = i < K * d ? w : b;
                int at = i < K * d ? i : i - K * d;
                double keep = p[at];
                p[at] = keep + h;
                double plus = cost(loss, w, b, d, x, data.labels(), lambda);
                p[at] = keep - h;
                double minus = cost(loss, w, b, d, x, data.labels(), lambda);
                p[at] = keep;
                double numeric = (plus - minus) / (2 * h);
                if (relative(a[i], numeric) > worst) {
                    worst = relative(a[i], numeric);
                    where = i;
                    pair[0] = a[i];
                    pair[1] = numeric;
                }
            }
            assertTrue(worst < 1e-6, loss + ": largest relative error " + worst + " at " + where + ": analytic "
                    + pair[0] + ", numeric " + pair[1]);
        }
    }

    @Test
    void floatKernelsMatchTheDoubleReferenceAtAnAwkwardSize() {
        int n = 1021;
        SplittableRandom random = new SplittableRandom(5);
        float[] s = new float[K * n];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (2 * random.nextGaussian());
        }
        int[] labels = new int[n];
        for (int j = 0; j < n; j++) {
            labels[j] = random.nextInt(K);
        }
        for (Loss loss : new Loss[] {Loss.SVM, Loss.BCE}) {
            double lossSum = 0;
            double[] gRef = new double[K * n];
            long correct = 0;
            double[] col = new double[K];
            double[] gc = new double[K];
            for (int j = 0; j < n; j++) {
                int arg = 0;
                for (int k = 0; k < K; k++) {
                    col[k] = s[k * n + j];
                    if (col[k] > col[arg]) {
                        arg = k;
                    }
                }
                correct += arg == labels[j] ? 1 : 0;
                lossSum += reference(loss, col, labels[j], gc);
                for (int k = 0; k < K; k++) {
                    gRef[k * n + j] = gc[k] / n;
                }
            }
            for (Kernels kernels : new Kernels[] {KernelProvider.vector(), KernelProvider.scalar()}) {
                LossKernel kernel = loss.kernel(kernels);
                float[] g = new float[K * n];
                int[] predictions = new int[n + 3];
                LossAccumulator acc = new LossAccumulator();
                kernel.lossAndGradient(s, K, n, labels, g, 1f / n, predictions, 3, acc);
                String what = loss + ", " + kernels.description();
                assertEquals(correct, acc.correct(), what);
                assertTrue(Math.abs(lossSum - acc.lossSum()) / lossSum < 1e-6, what + ": loss " + acc.lossSum() + " vs " + lossSum);
                double worst = 0;
                int where = -1;
                for (int i = 0; i < g.length; i++) {
                    double err = Math.abs(g[i] - gRef[i]) / (1e-6 / n + Math.abs(gRef[i]));
                    if (err > worst) {
                        worst = err;
                        where = i;
                    }
                }
                assertTrue(worst < 1e-5, what + ": largest relative difference in G " + worst + " at class "
                        + (where / n) + ", sample " + (where % n));
            }
        }
    }

    @Test
    void aStepWithEachLossFollowsTheReferenceGradient() {
        int d = 3072;
        int n = 37;
        DataSet data = TrainFixtures.synthetic(n, 8);
        double[] x = DoubleReference.features(data);
        int[] rows = new int[n];
        for (int j = 0; j < n; j++) {
            rows[j] = j;
        }
        double eta = 0.01;
        double lambda = 0.1;
        for (Loss loss : new Loss[] {Loss.SVM, Loss.BCE}) {
            SoftmaxModel init = SoftmaxModel.gaussian(K, d, new RandomStreams(2).init(), false);
            double[] a = analytic(loss, DoubleReference.widen(init.weights()), DoubleReference.widen(init.bias()), d, x,
                    data.labels(), lambda);
            for (Kernels kernels : new Kernels[] {KernelProvider.vector(), KernelProvider.scalar()}) {
                SoftmaxModel m = init.copy();
                try (WorkerPool pool = new WorkerPool(2)) {
                    new SgdStep(kernels, pool, K, d, n, loss.kernel(kernels)).step(m, data, rows, 0, n, eta, lambda);
                }
                double worst = 0;
                for (int i = 0; i < K * d; i++) {
                    double expected = init.weights()[i] - eta * a[i];
                    worst = Math.max(worst, Math.abs(m.weights()[i] - expected));
                }
                for (int k = 0; k < K; k++) {
                    worst = Math.max(worst, Math.abs(m.bias()[k] - (init.bias()[k] - eta * a[K * d + k])));
                }
                assertTrue(worst < 1e-6, loss + ", " + kernels.description() + ": largest difference " + worst);
            }
        }
    }
}
