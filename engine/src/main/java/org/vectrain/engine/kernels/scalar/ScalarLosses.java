package org.vectrain.engine.kernels.scalar;

import org.vectrain.engine.kernels.LossAccumulator;

/**
 * Scalar twins of {@link org.vectrain.engine.kernels.vector.VectorLosses}: fallback, test oracle and the plain
 * statement of the math, one sample (column j of the K x n class-major scores) at a time.
 */
public final class ScalarLosses {
    private ScalarLosses() {
    }

    /** Multi-class SVM over all samples; see {@link #svmColumn}. */
    public static void svm(float[] s, int classes, int n, int[] labels, float[] g, float gScale, int[] predictions,
            int predOffset, LossAccumulator acc) {
        for (int j = 0; j < n; j++) {
            int predicted = svmColumn(s, classes, n, j, labels[j], g, gScale, acc);
            if (predictions != null) {
                predictions[predOffset + j] = predicted;
            }
        }
    }

    /**
     * Hinge loss of sample j, {@code sum_{k != y} max(0, s_k - s_y + 1)}, into {@code acc}; its column of G
     * ({@code gScale} for each active margin, minus their count times {@code gScale} for the label) when
     * {@code g} is not null. Returns the arg-max class (first on ties).
     */
    public static int svmColumn(float[] s, int classes, int n, int j, int label, float[] g, float gScale,
            LossAccumulator acc) {
        int argMax = argMax(s, classes, n, j);
        float sy = s[label * n + j];
        float loss = 0f;
        int active = 0;
        for (int k = 0; k < classes; k++) {
            float m = s[k * n + j] - sy + 1f;
            boolean on = k != label && m > 0f;
            if (on) {
                loss += m;
                active++;
            }
            if (g != null) {
                g[k * n + j] = on ? gScale : 0f;
            }
        }
        if (g != null) {
            g[label * n + j] = -gScale * active;
        }
        acc.add(loss, argMax == label ? 1 : 0);
        return argMax;
    }

    /** Multiple binary cross-entropy over all samples; see {@link #binaryCrossEntropyColumn}. */
    public static void binaryCrossEntropy(float[] s, int classes, int n, int[] labels, float[] g, float gScale,
            int[] predictions, int predOffset, LossAccumulator acc) {
        for (int j = 0; j < n; j++) {
            int predicted = binaryCrossEntropyColumn(s, classes, n, j, labels[j], g, gScale, acc);
            if (predictions != null) {
                predictions[predOffset + j] = predicted;
            }
        }
    }

    /**
     * {@code (1/K) sum_k -[y_k log sigmoid(s_k) + (1 - y_k) log(1 - sigmoid(s_k))]} of sample j, computed as
     * {@code (1/K) sum_k softplus(s_k) - y_k s_k}; G column {@code (sigmoid(s) - y) gScale / K}.
     */
    public static int binaryCrossEntropyColumn(float[] s, int classes, int n, int j, int label, float[] g,
            float gScale, LossAccumulator acc) {
        int argMax = argMax(s, classes, n, j);
        float loss = 0f;
        for (int k = 0; k < classes; k++) {
            float v = s[k * n + j];
            float e = (float) Math.exp(-Math.abs(v));
            loss += Math.max(v, 0f) + (float) Math.log(1 + e) - (k == label ? v : 0f);
            if (g != null) {
                // sigmoid(s) - y without cancellation: for the label, -(1 - sigmoid(s)) = -e/(1+e) or -1/(1+e)
                float top = k == label ? -(v >= 0 ? e : 1f) : (v >= 0 ? 1f : e);
                g[k * n + j] = top / (1 + e) * (gScale / classes);
            }
        }
        acc.add(loss * (1f / classes), argMax == label ? 1 : 0);
        return argMax;
    }

    private static int argMax(float[] s, int classes, int n, int j) {
        float max = s[j];
        int argMax = 0;
        for (int k = 1; k < classes; k++) {
            if (s[k * n + j] > max) {
                max = s[k * n + j];
                argMax = k;
            }
        }
        return argMax;
    }
}
