package org.vectrain.engine.reference;

/**
 * The two-layer network's math in double precision, for clarity, not speed: the oracle of the two-layer kernels,
 * of a training step and of the gradient check. W1 is m x D, b1 m, W2 K x m, b2 K (all double, row-major); X is
 * the features, sample-major, D per sample ({@link DoubleReference#features}).
 */
public final class TwoLayerReference {
    private TwoLayerReference() {
    }

    /** The parameters: W1 m x D, b1 m, W2 K x m, b2 K. */
    public record Parameters(double[] w1, double[] b1, double[] w2, double[] b2, int classes, int dim, int hidden) {
    }

    /** The gradients of the cost, in the shapes of the parameters. */
    public record Gradients(double[] w1, double[] b1, double[] w2, double[] b2) {
    }

    /** Hidden values {@code max(0, W1 x + b1)} of sample {@code row}. */
    public static double[] hidden(Parameters p, double[] x, int row) {
        double[] h = new double[p.hidden()];
        int at = row * p.dim();
        for (int i = 0; i < p.hidden(); i++) {
            double sum = p.b1()[i];
            for (int d = 0; d < p.dim(); d++) {
                sum += p.w1()[i * p.dim() + d] * x[at + d];
            }
            h[i] = Math.max(0, sum);
        }
        return h;
    }

    /** Scores {@code W2 h + b2} of hidden values {@code h}. */
    public static double[] scores(Parameters p, double[] h) {
        double[] s = new double[p.classes()];
        for (int k = 0; k < p.classes(); k++) {
            double sum = p.b2()[k];
            for (int i = 0; i < p.hidden(); i++) {
                sum += p.w2()[k * p.hidden() + i] * h[i];
            }
            s[k] = sum;
        }
        return s;
    }

    /** Mean cross-entropy over the samples {@code rows}. */
    public static double loss(Parameters p, double[] x, int[] labels, int[] rows) {
        double sum = 0;
        for (int row : rows) {
            sum += DoubleReference.crossEntropy(scores(p, hidden(p, x, row)), labels[row]);
        }
        return sum / rows.length;
    }

    /** Loss plus {@code lambda (||W1||^2 + ||W2||^2)} (the biases are not regularised). */
    public static double cost(Parameters p, double[] x, int[] labels, int[] rows, double lambda) {
        return loss(p, x, labels, rows) + lambda * (squares(p.w1()) + squares(p.w2()));
    }

    /**
     * Analytic gradients of the cost by back-propagation: {@code G = (P - Y) / n}, {@code dW2 = G H^T + 2 lambda
     * W2}, {@code db2 = G 1}, {@code G1 = (W2^T G) * [H > 0]}, {@code dW1 = G1 X^T + 2 lambda W1}, {@code db1 = G1 1}.
     */
    public static Gradients gradients(Parameters p, double[] x, int[] labels, int[] rows, double lambda) {
        return gradients(p, x, labels, rows, lambda, null);
    }

    /**
     * The gradients of {@link #gradients(Parameters, double[], int[], int[], double)} with the hidden values of the
     * j-th sample of {@code rows} multiplied by {@code multipliers[i * n + j]} (m x n; null: by 1), as inverted
     * dropout does: {@code H' = H * M}, {@code S = W2 H' + b2}, {@code G1 = (W2^T G) * M * [H > 0]}.
     */
    public static Gradients gradients(Parameters p, double[] x, int[] labels, int[] rows, double lambda,
            double[] multipliers) {
        int m = p.hidden();
        int dim = p.dim();
        double[] dw1 = new double[m * dim];
        double[] db1 = new double[m];
        double[] dw2 = new double[p.classes() * m];
        double[] db2 = new double[p.classes()];
        int n = rows.length;
        for (int j = 0; j < n; j++) {
            int row = rows[j];
            double[] h = hidden(p, x, row);
            if (multipliers != null) {
                for (int i = 0; i < m; i++) {
                    h[i] *= multipliers[i * n + j];
                }
            }
            double[] g = DoubleReference.softmax(scores(p, h));
            g[labels[row]] -= 1;
            double[] g1 = new double[m];
            for (int k = 0; k < p.classes(); k++) {
                double gk = g[k] / n;
                db2[k] += gk;
                for (int i = 0; i < m; i++) {
                    dw2[k * m + i] += gk * h[i];
                    g1[i] += p.w2()[k * m + i] * gk;
                }
            }
            int at = row * dim;
            for (int i = 0; i < m; i++) {
                if (h[i] <= 0) {
                    continue;
                }
                if (multipliers != null) {
                    g1[i] *= multipliers[i * n + j];
                }
                db1[i] += g1[i];
                for (int d = 0; d < dim; d++) {
                    dw1[i * dim + d] += g1[i] * x[at + d];
                }
            }
        }
        for (int i = 0; i < dw1.length; i++) {
            dw1[i] += 2 * lambda * p.w1()[i];
        }
        for (int i = 0; i < dw2.length; i++) {
            dw2[i] += 2 * lambda * p.w2()[i];
        }
        return new Gradients(dw1, db1, dw2, db2);
    }

    private static double squares(double[] a) {
        double sum = 0;
        for (double v : a) {
            sum += v * v;
        }
        return sum;
    }
}
