package org.vectrain.engine.reference;

/**
 * The model's math in double precision, written for clarity, not speed: the oracle that float
 * kernels and analytic gradients are checked against, and the analytic side of the gradient check.
 *
 * <p>Shapes: W is K x D row-major (given as double), b has K entries, X is the features in double,
 * sample-major, D per sample (see {@link #features}).
 */
public final class DoubleReference {
    private DoubleReference() {
    }

    /** Scores S = W X^T + b as an n x K array (row j = sample j). */
    public static double[][] scores(double[] w, double[] b, int classes, int dim, double[] x, int[] rows) {
        double[][] s = new double[rows.length][classes];
        for (int j = 0; j < rows.length; j++) {
            int xRow = rows[j] * dim;
            for (int k = 0; k < classes; k++) {
                double dot = b[k];
                for (int d = 0; d < dim; d++) {
                    dot += w[k * dim + d] * x[xRow + d];
                }
                s[j][k] = dot;
            }
        }
        return s;
    }

    /** Softmax of one score row, stable by max-subtraction. */
    public static double[] softmax(double[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : scores) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[scores.length];
        for (int k = 0; k < scores.length; k++) {
            p[k] = Math.exp(scores[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < scores.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /** -log p_y of one score row, by log-sum-exp. */
    public static double crossEntropy(double[] scores, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : scores) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : scores) {
            sum += Math.exp(v - max);
        }
        return Math.log(sum) + max - scores[label];
    }

    /** Mean cross-entropy over the samples {@code rows}. */
    public static double loss(double[] w, double[] b, int classes, int dim, double[] x, int[] labels, int[] rows) {
        double[][] s = scores(w, b, classes, dim, x, rows);
        double sum = 0;
        for (int j = 0; j < rows.length; j++) {
            sum += crossEntropy(s[j], labels[rows[j]]);
        }
        return sum / rows.length;
    }

    /** Loss plus lambda ||W||^2 (b is not regularised). */
    public static double cost(double[] w, double[] b, int classes, int dim, double[] x, int[] labels, int[] rows,
            double lambda) {
        double squares = 0;
        for (double v : w) {
            squares += v * v;
        }
        return loss(w, b, classes, dim, x, labels, rows) + lambda * squares;
    }

    /**
     * Analytic gradients of the cost: {@code dW = (1/n) sum_j (p_j - y_j) x_j^T + 2 lambda W} and
     * {@code db = (1/n) sum_j (p_j - y_j)}, written into {@code dw} (K x D) and {@code db} (K).
     */
    public static void gradients(double[] w, double[] b, int classes, int dim, double[] x, int[] labels, int[] rows,
            double lambda, double[] dw, double[] db) {
        java.util.Arrays.fill(dw, 0);
        java.util.Arrays.fill(db, 0);
        double[][] s = scores(w, b, classes, dim, x, rows);
        int n = rows.length;
        for (int j = 0; j < n; j++) {
            double[] p = softmax(s[j]);
            p[labels[rows[j]]] -= 1;
            int xRow = rows[j] * dim;
            for (int k = 0; k < classes; k++) {
                double gk = p[k] / n;
                db[k] += gk;
                for (int d = 0; d < dim; d++) {
                    dw[k * dim + d] += gk * x[xRow + d];
                }
            }
        }
        for (int i = 0; i < dw.length; i++) {
            dw[i] += 2 * lambda * w[i];
        }
    }

    /** The normalised features of {@code data}, all samples, in double (from the bytes and the affine map). */
    public static double[] features(org.vectrain.engine.data.DataSet data) {
        int n = data.size();
        int dim = data.dim();
        double[] x = new double[n * dim];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                x[i * dim + d] = data.feature(i, d);
            }
        }
        return x;
    }

    /** The float array widened to double. */
    public static double[] widen(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
