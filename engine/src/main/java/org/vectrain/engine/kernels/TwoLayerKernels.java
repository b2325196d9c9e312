package org.vectrain.engine.kernels;

import org.vectrain.engine.layout.AlignedFloats;

/**
 * The compute kernels of the two-layer network (a ReLU hidden layer of m units), for any m, on raw row-major
 * arrays. One implementation uses the Vector API ({@code kernels.vector.VectorTwoLayerKernels}), its twin is plain
 * scalar Java ({@code kernels.scalar.ScalarTwoLayerKernels}); {@code kernels.provider.KernelProvider} picks one.
 *
 * <p>Shapes: K classes, D dimensions, m hidden units, a batch of n samples. W1 is m x D' (D' the padded D of
 * {@link #paddedDim}) in rows of {@link #weightStride} floats, b1 m; W2 is K x m, b2 K. The hidden layer H and its
 * gradient G1 are unit-major, m x n; the scores S and their gradient G are class-major, K x n, as
 * {@link Kernels#softmaxCrossEntropy} reads and writes them. The batch is first packed ({@link #pack}) into
 * normalised float features in blocks of {@link #DEPTH_BLOCK} columns, {@code X[block][j][t]} at
 * {@code start + (block * n + j) * PACKED_ROW + t} of an {@link AlignedFloats}, zero past D, so that the two GEMMs
 * with D, the forward product and the first layer's weight gradient, read a block of the batch from L2, never meet
 * a partial vector and, with the rows of W1 also starting on cache lines, load no vector that straddles two lines.
 *
 * <p>A step: pack; {@code H = max(0, W1 X + b1)} ({@link #hiddenForward}); {@code S = W2 H + b2}
 * ({@link #outputScores}); the loss gives {@code G = (P - Y) / n}; {@code G1 = (W2^T G) * [H > 0]} and its row sums
 * ({@link #hiddenGradient}, before W2's columns of the same units change); {@code dW2 = G H^T + 2 lambda W2},
 * {@code db2 = G 1}, W2 and b2 stepped ({@link #outputStep}); {@code dW1 = G1 X^T + 2 lambda W1}, {@code db1 = G1 1},
 * W1 and b1 stepped ({@link #hiddenStep}). The unit ranges {@code [uFrom, uTo)} let threads split the hidden
 * units: a unit's values do not depend on the range it was computed in, so the bits do not depend on the thread
 * count.
 *
 * <p>Evaluation reads a set in its {@link org.vectrain.engine.layout.SampleBlocks} instead, the normalisation folded
 * into the first layer ({@link #foldTransposed}): {@code H = max(0, W' Q + b')} ({@link #blockHidden}), lanes over
 * the samples of a block, so each pixel is widened once for all units and no lane is reduced.
 *
 * <p>All methods assume valid arguments; the model and the step check them.
 */
public interface TwoLayerKernels {
    /**
     * Columns of D per packed block: a block of a 100-sample batch (400 KB) stays in L2 (1 MB per core on Zen 5)
     * while the tiles of every unit read it, and a forward tile's 4 rows of W1 (16 KB) stay in L1.
     */
    int DEPTH_BLOCK = 1024;

    /**
     * Floats between the starts of two samples' rows in a packed block, and the distance {@link #weightStride} adds
     * to W1's rows: 16 more than the block, so that the rows a tile reads at once do not all start at the same
     * offset of a 4 KB page, where they would compete for the same few sets of L1.
     */
    int PACKED_ROW = DEPTH_BLOCK + 16;

    /** D rounded up to whole {@link #DEPTH_BLOCK}s: the columns the kernels run over. */
    static int paddedDim(int dim) {
        return (dim + DEPTH_BLOCK - 1) / DEPTH_BLOCK * DEPTH_BLOCK;
    }

    /** The row length of W1: {@link #paddedDim} and 16 floats more (see {@link #PACKED_ROW}). */
    static int weightStride(int dim) {
        return paddedDim(dim) + PACKED_ROW - DEPTH_BLOCK;
    }

    /** Floats of a packed batch of {@code n} samples of {@code dim} dimensions. */
    static int packedLength(int n, int dim) {
        return n * paddedDim(dim) / DEPTH_BLOCK * PACKED_ROW;
    }

    /** Samples per block of the evaluation layout {@link #blockHidden} reads. */
    int SAMPLE_BLOCK = org.vectrain.engine.layout.SampleBlocks.BLOCK;

    /**
     * The first layer with the features' map {@code x = scale q + shift} folded in, as {@link #blockHidden} reads
     * it: {@code W'[d][i] = W1[i][d] scale[d]} into {@code wTransposed} (D x m, {@code [d * m + i]}) and
     * {@code b'[i] = b1[i] + sum_d W1[i][d] shift[d]} (the sum in order of d) into {@code bFolded}, so that
     * {@code W1 x + b1 = W' q + b'}. Returns them as {@link FoldedWeights} of m rows. Done once per evaluation pass.
     */
    static FoldedWeights foldTransposed(DenseLayer first, int dim, Affine map, float[] wTransposed, float[] bFolded) {
        float[] w = first.w();
        float[] scale = map.scale();
        float[] shift = map.shift();
        int units = first.rows();
        for (int i = 0; i < units; i++) {
            int row = first.start() + i * first.cols();
            float shifted = 0f;
            for (int d = 0; d < dim; d++) {
                wTransposed[d * units + i] = w[row + d] * scale[d];
                shifted += w[row + d] * shift[d];
            }
            bFolded[i] = first.b()[i] + shifted;
        }
        return new FoldedWeights(wTransposed, bFolded, units, dim);
    }

    /**
     * The hidden layer of whole blocks of an evaluation set in {@link org.vectrain.engine.layout.SampleBlocks}:
     * {@code H[i][c] = max(0, b'[i] + sum_d W'[d][i] q[d][c])} for the m units of {@code folded}
     * ({@link #foldTransposed}; its {@code classes()} are the units) and the {@code blockCount * SAMPLE_BLOCK}
     * samples c of the blocks from {@code firstBlock}, padding samples included, written to {@code h[i * ldH + c]}.
     * Block b holds the signed value of its sample j at dimension d at {@code q[b * SAMPLE_BLOCK * D + d *
     * SAMPLE_BLOCK + j]}. Each sum runs in order of d, one fused multiply-add a term, and b' is added last: every
     * implementation gives the same bits.
     */
    void blockHidden(FoldedWeights folded, byte[] q, int firstBlock, int blockCount, float[] h, int ldH);

    /** A short description for run metadata. */
    String description();

    /** Float lanes per vector, 1 for the scalar kernels. */
    int lanes();

    /**
     * Packs the samples {@code [jFrom, jTo)} of the batch {@code rows[rowStart .. rowStart + n)} of {@code images}
     * (whole images of {@code dim} pixels) as features {@code x = scale[d] * (p - 128) + shift[d]}:
     * {@code packed.array()[packed.start() + (block * n + j) * PACKED_ROW + t]} for {@code d = block * DEPTH_BLOCK +
     * t}, 0 for {@code d >= dim}.
     */
    void pack(RowSource images, int rowStart, int n, int jFrom, int jTo, Affine map, int dim, AlignedFloats packed);

    /**
     * {@code H[i][j] = max(0, b1[i] + sum_d W1[i][d] X[j][d])} for the units {@code [uFrom, uTo)}, H m x n. The sum
     * may be taken in lanes over the whole of D, then reduced in a fixed order.
     */
    void hiddenForward(AlignedFloats packed, int n, DenseLayer first, int uFrom, int uTo, float[] h);

    /** {@code S[k][j] = b2[k] + sum_i W2[k][i] H[i][j]} (K x n), the sum in order of i. */
    void outputScores(float[] h, int n, DenseLayer second, float[] s);

    /**
     * {@code G1[i][j] = [H[i][j] > 0] sum_k W2[k][i] G[k][j]} (the sum in order of k) and {@code g1Sum[i] =
     * sum_j G1[i][j]}, for the units {@code [uFrom, uTo)}; G is K x n.
     */
    void hiddenGradient(float[] g, int n, DenseLayer second, float[] h, int uFrom, int uTo, float[] g1,
            float[] g1Sum);

    /**
     * {@code dW2[k][i] = sum_j G[k][j] H[i][j] + 2 lambda W2[k][i]} for the units (columns) {@code [uFrom, uTo)},
     * and {@code db2[k] = sum_j G[k][j]} with the non-empty range that starts at unit 0. With {@code gradientOut}
     * null the layer steps, {@code W2 += scale dW2}, {@code b2 += scale db2}; otherwise dW2 goes to
     * {@code gradientOut[0, K m)} and db2 after it, and the layer is left as it is. A range reads and writes only its
     * own columns of W2, so threads can step their units' columns once they have read them for G1.
     */
    void outputStep(float[] g, int n, float[] h, DenseLayer second, float twoLambda, float scale, int uFrom, int uTo,
            float[] gradientOut);

    /**
     * The bias part of {@link #outputStep}, the same plain loops in both implementations (K sums of n terms):
     * {@code db2[k] = sum_j G[k][j]} in order of j, then {@code b2 += scale db2}, or db2 into {@code gradientOut}
     * after dW2.
     */
    static void outputBiasStep(float[] g, int n, DenseLayer second, float scale, float[] gradientOut) {
        float[] b = second.b();
        int classes = second.rows();
        for (int k = 0; k < classes; k++) {
            float biasGradient = 0f;
            for (int j = 0; j < n; j++) {
                biasGradient += g[k * n + j];
            }
            if (gradientOut == null) {
                b[k] = Math.fma(scale, biasGradient, b[k]);
            } else {
                gradientOut[classes * second.cols() + k] = biasGradient;
            }
        }
    }

    /**
     * {@code dW1[i][d] = sum_j G1[i][j] X[j][d] + 2 lambda W1[i][d]} (the sum in order of j) and
     * {@code db1[i] = g1Sum[i]} for the units {@code [uFrom, uTo)}. With {@code gradientOut} null their rows of the
     * layer step, {@code W1 += scale dW1}, {@code b1 += scale db1}; otherwise dW1 goes to {@code gradientOut}
     * (m rows of the layer's row length, from 0) and db1 after it, and the layer is left as it is.
     */
    void hiddenStep(AlignedFloats packed, int n, float[] g1, float[] g1Sum, DenseLayer first, float twoLambda,
            float scale, int uFrom, int uTo, float[] gradientOut);
}
