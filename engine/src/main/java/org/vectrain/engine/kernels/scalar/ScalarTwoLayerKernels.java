package org.vectrain.engine.kernels.scalar;

import org.vectrain.engine.kernels.Affine;
import org.vectrain.engine.kernels.DenseLayer;
import org.vectrain.engine.kernels.FoldedWeights;
import org.vectrain.engine.kernels.RowSource;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.layout.AlignedFloats;

/**
 * The scalar twin of the two-layer kernels: each method the plain loops of its formula in {@link TwoLayerKernels},
 * summed in the order the contract states (the forward product in one run over D, where the vector kernels sum
 * in lanes, then reduce them). The readable specification of {@code kernels.vector.VectorTwoLayerKernels}, and what runs
 * without the Vector API. Arguments are assumed valid.
 */
public final class ScalarTwoLayerKernels implements TwoLayerKernels {
    private static final int BLOCK = DEPTH_BLOCK;
    private static final int ROW = PACKED_ROW;
    /** The scalar kernels of the one-layer model, whose block scores are the hidden layer's before its ReLU. */
    private static final ScalarKernels BLOCK_SCORES = new ScalarKernels();

    @Override
    public String description() {
        return "scalar Java (no Vector API)";
    }

    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public void pack(RowSource images, int rowStart, int n, int jFrom, int jTo, Affine map, int dim,
            AlignedFloats into) {
        float[] packed = into.array();
        int start = into.start();
        byte[] pixels = images.pixels();
        int[] rows = images.rows();
        float[] scale = map.scale();
        float[] shift = map.shift();
        int padded = TwoLayerKernels.paddedDim(dim);
        for (int j = jFrom; j < jTo; j++) {
            int image = rows[rowStart + j] * images.rowLength();
            for (int d = 0; d < padded; d++) {
                int block = d / BLOCK;
                float x = d < dim ? scale[d] * ScalarKernels.signed(pixels[image + d]) + shift[d] : 0f;
                packed[start + (block * n + j) * ROW + d - block * BLOCK] = x;
            }
        }
    }

    @Override
    public void hiddenForward(AlignedFloats x, int n, DenseLayer first, int uFrom, int uTo, float[] h) {
        float[] packed = x.array();
        float[] w = first.w();
        int padded = first.cols();
        int columns = padded / BLOCK * BLOCK;
        for (int i = uFrom; i < uTo; i++) {
            int row = first.start() + i * padded;
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int d = 0; d < columns; d++) {
                    int block = d / BLOCK;
                    sum += w[row + d] * packed[x.start() + (block * n + j) * ROW + d - block * BLOCK];
                }
                h[i * n + j] = Math.max(0f, first.b()[i] + sum);
            }
        }
    }

    /** The one-layer model's block scores ({@link ScalarKernels#blockScores}), the units in place of the classes. */
    @Override
    public void blockHidden(FoldedWeights folded, byte[] q, int firstBlock, int blockCount, float[] h, int ldH) {
        BLOCK_SCORES.blockScores(folded, q, firstBlock, blockCount, h, ldH);
        int columns = blockCount * SAMPLE_BLOCK;
        for (int i = 0; i < folded.classes(); i++) {
            for (int c = 0; c < columns; c++) {
                h[i * ldH + c] = Math.max(0f, h[i * ldH + c]);
            }
        }
    }

    @Override
    public void outputScores(float[] h, int n, DenseLayer second, float[] s) {
        float[] w = second.w();
        int units = second.cols();
        for (int k = 0; k < second.rows(); k++) {
            for (int j = 0; j < n; j++) {
                float sum = second.b()[k];
                for (int i = 0; i < units; i++) {
                    sum = Math.fma(w[k * units + i], h[i * n + j], sum);
                }
                s[k * n + j] = sum;
            }
        }
    }

    @Override
    public void hiddenGradient(float[] g, int n, DenseLayer second, float[] h, int uFrom, int uTo, float[] g1,
            float[] g1Sum) {
        float[] w = second.w();
        int units = second.cols();
        for (int i = uFrom; i < uTo; i++) {
            float rowSum = 0f;
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int k = 0; k < second.rows(); k++) {
                    sum = Math.fma(w[k * units + i], g[k * n + j], sum);
                }
                float masked = h[i * n + j] > 0f ? sum : 0f;
                g1[i * n + j] = masked;
                rowSum += masked;
            }
            g1Sum[i] = rowSum;
        }
    }

    @Override
    public void outputStep(float[] g, int n, float[] h, DenseLayer second, float twoLambda, float scale, int uFrom,
            int uTo, float[] gradientOut) {
        float[] w = second.w();
        int classes = second.rows();
        int units = second.cols();
        for (int k = 0; k < classes; k++) {
            for (int i = uFrom; i < uTo; i++) {
                float sum = 0f;
                for (int j = 0; j < n; j++) {
                    sum = Math.fma(g[k * n + j], h[i * n + j], sum);
                }
                float gradient = Math.fma(twoLambda, w[k * units + i], sum);
                if (gradientOut == null) {
                    w[k * units + i] = Math.fma(scale, gradient, w[k * units + i]);
                } else {
                    gradientOut[k * units + i] = gradient;
                }
            }
        }
        if (uFrom == 0 && uTo > 0) {
            TwoLayerKernels.outputBiasStep(g, n, second, scale, gradientOut);
        }
    }

    @Override
    public void hiddenStep(AlignedFloats x, int n, float[] g1, float[] g1Sum, DenseLayer first, float twoLambda,
            float scale, int uFrom, int uTo, float[] gradientOut) {
        float[] packed = x.array();
        float[] w = first.w();
        float[] b = first.b();
        int padded = first.cols();
        int columns = padded / BLOCK * BLOCK;
        for (int i = uFrom; i < uTo; i++) {
            int row = first.start() + i * padded;
            for (int d = 0; d < columns; d++) {
                int block = d / BLOCK;
                int column = d - block * BLOCK;
                float sum = 0f;
                for (int j = 0; j < n; j++) {
                    sum = Math.fma(g1[i * n + j], packed[x.start() + (block * n + j) * ROW + column], sum);
                }
                float gradient = Math.fma(twoLambda, w[row + d], sum);
                if (gradientOut == null) {
                    w[row + d] = Math.fma(scale, gradient, w[row + d]);
                } else {
                    gradientOut[i * padded + d] = gradient;
                }
            }
            if (gradientOut == null) {
                b[i] = Math.fma(scale, g1Sum[i], b[i]);
            } else {
                gradientOut[first.rows() * padded + i] = g1Sum[i];
            }
        }
    }
}
