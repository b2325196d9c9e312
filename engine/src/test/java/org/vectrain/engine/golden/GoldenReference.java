package org.vectrain.engine.golden;

import java.util.ArrayList;
import java.util.List;

/**
 * Mini-batch gradient descent for the softmax classifier in plain double loops, written apart from the
 * engine's float kernels so that it can judge them: it shares no code with {@code simd}, {@code reference},
 * {@code model} or {@code train}, and starts from the definitions, not from the kernels' folded forms.
 *
 * <ul>
 *   <li>features: {@code x = (p / 255 - mean) / std}, mean and std per dimension over the training images
 *       (two passes, population std, ddof 0; a constant dimension gets std 1, as the engine does);
 *   <li>scores {@code s = W x + b} (K x D times D, plus K), {@code p = softmax(s)} with the maximum
 *       subtracted first;
 *   <li>a step on a batch of n: {@code G = (P - Y) / n} (K x n), {@code W <- W - eta (G X^T + 2 lambda W)},
 *       {@code b <- b - eta G 1};
 *   <li>figures: loss = mean of {@code logsumexp(s) - s_y}, cost = loss + lambda ||W||_F^2, accuracy by
 *       the first arg-max.
 * </ul>
 * Batches are taken in order (no shuffling). Everything is O(epochs n K D) and takes about a second for
 * the golden configurations.
 */
final class GoldenReference {
    /** Two best scores closer than this could swap under float rounding (scores are O(1) to O(10)). */
    static final double NEAR_TIE = 1e-4;

    private final int classes;
    private final int dim;

    GoldenReference(int classes, int dim) {
        this.classes = classes;
        this.dim = dim;
    }

    /** Per-dimension mean and std (ddof 0) of {@code p / 255} over the {@code n} images of {@code pixels}. */
    double[][] statistics(byte[] pixels, int n) {
        double[] mean = new double[dim];
        double[] std = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                mean[d] += (pixels[i * dim + d] & 0xFF) / 255.0;
            }
        }
        for (int d = 0; d < dim; d++) {
            mean[d] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                double c = (pixels[i * dim + d] & 0xFF) / 255.0 - mean[d];
                std[d] += c * c;
            }
        }
        for (int d = 0; d < dim; d++) {
            double s = Math.sqrt(std[d] / n);
            std[d] = s > 0 ? s : 1.0;
        }
        return new double[][] {mean, std};
    }

    /** The normalised features of {@code n} images, n x D, from {@code statistics} of the training set. */
    double[] features(byte[] pixels, int n, double[][] statistics) {
        double[] mean = statistics[0];
        double[] std = statistics[1];
        double[] x = new double[n * dim];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                x[i * dim + d] = ((pixels[i * dim + d] & 0xFF) / 255.0 - mean[d]) / std[d];
            }
        }
        return x;
    }

    /** The figures of one model on one set. */
    record Figures(double loss, double cost, double accuracy, int correct, int count, int nearTies) {
    }

    /** The figures after one epoch. */
    record Epoch(int epoch, Figures train, Figures validation) {
    }

    /** A finished run: final W (K x D) and b, and the per-epoch figures. */
    record Result(double[] w, double[] b, List<Epoch> history) {
    }

    /**
     * Trains from {@code w0}, {@code b0} (copied) on {@code n} samples of {@code x} (n x D), evaluating on
     * the training and validation sets after each epoch.
     */
    Result train(double[] x, int[] y, double[] xVal, int[] yVal, double[] w0, double[] b0, double eta,
            double lambda, int batch, int epochs) {
        double[] w = w0.clone();
        double[] b = b0.clone();
        int n = y.length;
        double[] g = new double[classes * batch];
        double[] scores = new double[classes];
        List<Epoch> history = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (int from = 0; from < n; from += batch) {
                int m = Math.min(batch, n - from);
                // G = (P - Y) / m, K x m, from the parameters before this step
                for (int j = 0; j < m; j++) {
                    scores(w, b, x, from + j, scores);
                    double[] p = softmax(scores);
                    for (int k = 0; k < classes; k++) {
                        g[k * m + j] = (p[k] - (k == y[from + j] ? 1 : 0)) / m;
                    }
                }
                for (int k = 0; k < classes; k++) {
                    double db = 0;
                    for (int j = 0; j < m; j++) {
                        db += g[k * m + j];
                    }
                    // dW[k][d] = sum_j G[k][j] x_j[d] + 2 lambda W[k][d]; each entry depends only on its own W
                    double[] dw = new double[dim];
                    for (int j = 0; j < m; j++) {
                        double gkj = g[k * m + j];
                        int row = (from + j) * dim;
                        for (int d = 0; d < dim; d++) {
                            dw[d] += gkj * x[row + d];
                        }
                    }
                    for (int d = 0; d < dim; d++) {
                        w[k * dim + d] -= eta * (dw[d] + 2 * lambda * w[k * dim + d]);
                    }
                    b[k] -= eta * db;
                }
            }
            history.add(new Epoch(epoch, evaluate(w, b, x, y, lambda), evaluate(w, b, xVal, yVal, lambda)));
        }
        return new Result(w, b, history);
    }

    /** Loss, cost, accuracy and near ties of (w, b) on the samples of {@code x}. */
    Figures evaluate(double[] w, double[] b, double[] x, int[] y, double lambda) {
        double[] s = new double[classes];
        double lossSum = 0;
        int correct = 0;
        int nearTies = 0;
        for (int i = 0; i < y.length; i++) {
            scores(w, b, x, i, s);
            double max = Double.NEGATIVE_INFINITY;
            int best = -1;
            for (int k = 0; k < classes; k++) {
                if (s[k] > max) {
                    max = s[k];
                    best = k;
                }
            }
            double second = Double.NEGATIVE_INFINITY;
            double sumExp = 0;
            for (int k = 0; k < classes; k++) {
                sumExp += Math.exp(s[k] - max);
                if (k != best) {
                    second = Math.max(second, s[k]);
                }
            }
            lossSum += max + Math.log(sumExp) - s[y[i]];
            if (best == y[i]) {
                correct++;
            }
            if (max - second < NEAR_TIE) {
                nearTies++;
            }
        }
        double loss = lossSum / y.length;
        return new Figures(loss, loss + lambda * squaredNorm(w), (double) correct / y.length, correct, y.length,
                nearTies);
    }

    static double squaredNorm(double[] v) {
        double s = 0;
        for (double e : v) {
            s += e * e;
        }
        return s;
    }

    private void scores(double[] w, double[] b, double[] x, int sample, double[] out) {
        int row = sample * dim;
        for (int k = 0; k < classes; k++) {
            double s = b[k];
            for (int d = 0; d < dim; d++) {
                s += w[k * dim + d] * x[row + d];
            }
            out[k] = s;
        }
    }

    private static double[] softmax(double[] s) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : s) {
            max = Math.max(max, v);
        }
        double[] p = new double[s.length];
        double sum = 0;
        for (int k = 0; k < s.length; k++) {
            p[k] = Math.exp(s[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < s.length; k++) {
            p[k] /= sum;
        }
        return p;
    }
}
