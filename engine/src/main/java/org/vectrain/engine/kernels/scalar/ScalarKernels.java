package org.vectrain.engine.kernels.scalar;

import org.vectrain.engine.kernels.Affine;
import org.vectrain.engine.kernels.Columns;
import org.vectrain.engine.kernels.FoldedWeights;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.LossAccumulator;
import org.vectrain.engine.kernels.QuadSource;
import org.vectrain.engine.kernels.RowSource;
import org.vectrain.engine.kernels.ScoreTile;
import org.vectrain.engine.kernels.StepTarget;
import org.vectrain.engine.layout.SampleQuads;

/**
 * Scalar twins of the Vector API kernels: the same math in plain loops, in float as the SIMD
 * kernels compute it. They are the fallback when the Vector API is absent or turned off
 * ({@code -Dvectrain.simd=scalar}) and the documentation of what each kernel computes.
 *
 * <p>Shapes and argument conventions are those of {@link Kernels}; arguments are assumed valid.
 */
public final class ScalarKernels implements Kernels {

    /** The pixel {@code p}, stored as an unsigned byte, as the signed value {@code p - 128}. */
    public static int signed(byte p) {
        return (p & 0xFF) - 128;
    }

    @Override
    public String description() {
        return "scalar (no Vector API)";
    }

    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public void fold(float[] w, float[] b, int classes, int dim, float[] a, float[] c, float[] wOut, float[] bOut) {
        foldColumns(w, classes, dim, a, c, wOut, bOut, 0, 0, dim);
        for (int k = 0; k < classes; k++) {
            bOut[k] = b[k] + bOut[k];
        }
    }

    @Override
    public void partialScores(FoldedWeights weights, Columns columns, RowSource images, int rowStart, int n,
            ScoreTile out) {
        float[] w = weights.w();
        float[] b = weights.b();
        int classes = weights.classes();
        int dim = weights.dim();
        int dFrom = columns.from();
        int dTo = columns.to();
        byte[] q = images.pixels();
        int rowLength = images.rowLength();
        int firstColumn = images.firstColumn();
        int[] rows = images.rows();
        float[] s = out.s();
        int sOffset = out.offset();
        int ldS = out.ld();
        for (int j = 0; j < n; j++) {
            int qRow = rows[rowStart + j] * rowLength - firstColumn;
            for (int k = 0; k < classes; k++) {
                int wRow = k * dim;
                float dot = 0f;
                for (int d = dFrom; d < dTo; d++) {
                    dot += w[wRow + d] * signed(q[qRow + d]);
                }
                s[sOffset + k * ldS + j] = b == null ? dot : b[k] + dot;
            }
        }
    }

    @Override
    public void quadScores(FoldedWeights weights, Columns columns, QuadSource images, int first, int n, ScoreTile out) {
        float[] w = weights.w();
        int classes = weights.classes();
        int dim = weights.dim();
        int dFrom = columns.from();
        int dTo = columns.to();
        byte[] quads = images.quads();
        int width = images.width();
        int firstColumn = images.firstColumn();
        float[] s = out.s();
        int sOffset = out.offset();
        int ldS = out.ld();
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < classes; k++) {
                int wRow = k * dim;
                float dot = 0f;
                for (int d = dFrom; d < dTo; d++) {
                    dot += w[wRow + d] * signed(quads[SampleQuads.offset(first + j, d - firstColumn, width)]);
                }
                s[sOffset + k * ldS + j] = dot;
            }
        }
    }

    @Override
    public void blockScores(FoldedWeights transposed, byte[] q, int firstBlock, int blockCount, float[] s, int ldS) {
        float[] wTransposed = transposed.w();
        float[] b = transposed.b();
        int classes = transposed.classes();
        int dim = transposed.dim();
        for (int i = 0; i < blockCount; i++) {
            int block = (firstBlock + i) * SAMPLE_BLOCK * dim;
            for (int j = 0; j < SAMPLE_BLOCK; j++) {
                for (int k = 0; k < classes; k++) {
                    float sum = 0f;
                    for (int d = 0; d < dim; d++) {
                        sum = Math.fma((float) q[block + d * SAMPLE_BLOCK + j], wTransposed[d * classes + k], sum);
                    }
                    s[k * ldS + i * SAMPLE_BLOCK + j] = sum + b[k];
                }
            }
        }
    }

    @Override
    public void softmaxCrossEntropy(float[] s, int classes, int n, int[] labels, float[] g, float gScale,
            int[] predictions, int predOffset, LossAccumulator acc) {
        for (int j = 0; j < n; j++) {
            int predicted = softmaxColumn(s, classes, n, j, labels[j], g, gScale, acc);
            if (predictions != null) {
                predictions[predOffset + j] = predicted;
            }
        }
    }

    /**
     * Softmax + cross-entropy of sample (column) j of the K x n scores: adds its loss and whether it
     * is correct into {@code acc}, writes its column of {@code G = (p - y) * gScale} when {@code g} is
     * not null, and returns the arg-max class (the first one on ties, as numpy's argmax).
     */
    public static int softmaxColumn(float[] s, int classes, int n, int j, int label, float[] g, float gScale,
            LossAccumulator acc) {
        float max = s[j];
        int argMax = 0;
        for (int k = 1; k < classes; k++) {
            float v = s[k * n + j];
            if (v > max) {
                max = v;
                argMax = k;
            }
        }
        float sum = 0f;
        for (int k = 0; k < classes; k++) {
            float e = (float) Math.exp(s[k * n + j] - max);
            sum += e;
            if (g != null) {
                g[k * n + j] = e;
            }
        }
        // -log p_y = log(sum_k exp(s_k - max)) - (s_y - max)
        float loss = (float) Math.log(sum) - (s[label * n + j] - max);
        acc.add(loss, argMax == label ? 1 : 0);
        if (g != null) {
            float scale = gScale / sum;
            for (int k = 0; k < classes; k++) {
                g[k * n + j] = g[k * n + j] * scale - (k == label ? gScale : 0f);
            }
        }
        return argMax;
    }

    @Override
    public void foldColumns(float[] w, int classes, Affine map, float[] wOut, float[] shiftOut, int shiftOffset,
            Columns columns) {
        foldColumns(w, classes, columns.width(), map.scale(), map.shift(), wOut, shiftOut, shiftOffset, columns.from(),
                columns.to());
    }

    /** {@link #foldColumns(float[], int, Affine, float[], float[], int, Columns)} on plain values. */
    private static void foldColumns(float[] w, int classes, int dim, float[] a, float[] c, float[] wOut,
            float[] shiftOut, int shiftOffset, int dFrom, int dTo) {
        for (int k = 0; k < classes; k++) {
            int row = k * dim;
            float shift = 0f;
            for (int d = dFrom; d < dTo; d++) {
                wOut[row + d] = w[row + d] * a[d];
                shift += w[row + d] * c[d];
            }
            shiftOut[shiftOffset + k] = shift;
        }
    }

    @Override
    public void gradientPart(float[] gT, int classes, int jFrom, int count, RowSource images, int rowStart, float[] out,
            Columns columns) {
        byte[] q = images.pixels();
        int rowLength = images.rowLength();
        int firstColumn = images.firstColumn();
        int[] rows = images.rows();
        int dim = columns.width();
        int dFrom = columns.from();
        int dTo = columns.to();
        for (int k = 0; k < classes; k++) {
            for (int d = dFrom; d < dTo; d++) {
                float dot = 0f;
                for (int j = jFrom; j < jFrom + count; j++) {
                    dot += gT[j * classes + k] * signed(q[rows[rowStart + j] * rowLength - firstColumn + d]);
                }
                out[k * dim + d] = dot;
            }
        }
    }

    @Override
    public void quadGradient(float[] gT, int classes, int count, QuadSource images, int[] rows, int rowStart,
            float[] out, Columns columns) {
        byte[] quads = images.quads();
        int width = images.width();
        int firstColumn = images.firstColumn();
        int dim = columns.width();
        int dFrom = columns.from();
        int dTo = columns.to();
        for (int k = 0; k < classes; k++) {
            for (int d = dFrom; d < dTo; d++) {
                float dot = 0f;
                for (int j = 0; j < count; j++) {
                    dot += gT[j * classes + k] * signed(quads[SampleQuads.offset(rows[rowStart + j], d - firstColumn,
                            width)]);
                }
                out[k * dim + d] = dot;
            }
        }
    }

    @Override
    public void stepFromGradient(float[] gradient, float[] gSum, Affine map, StepTarget target, float twoLambda,
            float scale, Columns columns) {
        int classes = target.classes();
        int dim = columns.width();
        float[] a = map.scale();
        float[] c = map.shift();
        float[] w = target.w();
        float[] wCopy = target.wCopy();
        float[] wFolded = target.wFolded();
        float[] shiftOut = target.shiftOut();
        int strip = target.strip();
        int dFrom = columns.from();
        int dTo = columns.to();
        for (int s0 = dFrom; s0 < dTo; s0 += strip) {
            int s1 = Math.min(dTo, s0 + strip);
            for (int k = 0; k < classes; k++) {
                int row = k * dim;
                float shift = 0f;
                for (int d = s0; d < s1; d++) {
                    float acc = gradient[row + d];
                    float wkd = w[row + d];
                    wkd += scale * (acc * a[d] + gSum[k] * c[d] + twoLambda * wkd);
                    w[row + d] = wkd;
                    if (wCopy != null) {
                        wCopy[row + d] = wkd;
                    }
                    wFolded[row + d] = wkd * a[d];
                    shift += wkd * c[d];
                }
                shiftOut[s0 / strip * classes + k] = shift;
            }
        }
    }

    @Override
    public double sumOfSquares(float[] a, int from, int to) {
        // A long float sum drifts (1e-4 relative over a million terms); the squares go into a double.
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += a[i] * a[i];
        }
        return sum;
    }
}
