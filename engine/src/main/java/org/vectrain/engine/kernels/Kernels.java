package org.vectrain.engine.kernels;

import org.vectrain.engine.layout.SampleBlocks;

/**
 * The compute kernels of the model, on raw row-major arrays. One implementation uses the Vector API
 * ({@code kernels.vector.VectorKernels}), its twin is plain scalar Java ({@code kernels.scalar.ScalarKernels});
 * {@code kernels.provider.KernelProvider} picks one at start-up.
 *
 * <p>Shapes: K classes, D dimensions, a batch of n samples. W is K x D, b has K entries. The images
 * are the pixel bytes as read from the files (unsigned), sample-major, one row of D per image exactly
 * like the CIFAR records, so a batch is a list of row indices ({@code rows[rowStart .. rowStart + n)})
 * and shuffling never moves pixels. The kernels read each pixel p as the signed value
 * {@code q = p - 128} (its top bit flipped, which widens to float in one instruction); the features
 * are {@code x = a q + c} per dimension (the normalisation), and {@link #fold} moves that map into W
 * and b so the GEMMs read bytes. Scores S and their
 * gradient G are class-major, K x n, so that the softmax works on whole vectors of samples per class.
 *
 * <p>All methods assume valid arguments; the public entry points of the model and trainer check them.
 */
public interface Kernels {

    /** Samples per block of the dimension-major layout {@link #blockScores} reads ({@link SampleBlocks#BLOCK}). */
    int SAMPLE_BLOCK = SampleBlocks.BLOCK;

    /** A short description for run metadata, for example {@code "Vector API, 512-bit (16 float lanes)"}. */
    String description();

    /** Float lanes per vector, 1 for the scalar kernels. */
    int lanes();

    /**
     * Folds the features' affine map into the parameters: {@code W' = W diag(a)} (K x D) into
     * {@code wOut} and {@code b' = b + W c} (K) into {@code bOut}, so that {@code W x + b = W' q + b'}.
     */
    void fold(float[] w, float[] b, int classes, int dim, float[] a, float[] c, float[] wOut, float[] bOut);

    /**
     * Forward scores of a batch on folded parameters:
     * {@code S[k][j] = b'[k] + sum_d W'[k][d] * Q[rows[rowStart + j]][d]}, K x D times D x n, written to
     * {@code s[sOffset + k * ldS + j]} (K x n inside a K x ldS matrix, so that threads can each fill a
     * block of columns): {@link #partialScores} on all of D.
     */
    default void forwardScores(float[] wFolded, float[] bFolded, int classes, int dim, byte[] q, int[] rows,
            int rowStart, int n, float[] s, int sOffset, int ldS) {
        partialScores(wFolded, bFolded, classes, dim, 0, dim, q, rows, rowStart, n, s, sOffset, ldS);
    }

    /**
     * The forward product on the columns {@code [dFrom, dTo)} only, plus b' where {@code bFolded} is not
     * null: {@code S[k][j] = b'[k] + sum_{d in [dFrom, dTo)} W'[k][d] * Q[rows[rowStart + j]][d]}, written as
     * {@link #forwardScores} writes S. Partial products of disjoint column ranges, added in a fixed order,
     * give the scores of a batch whose columns are split between threads.
     */
    default void partialScores(float[] wFolded, float[] bFolded, int classes, int dim, int dFrom, int dTo, byte[] q,
            int[] rows, int rowStart, int n, float[] s, int sOffset, int ldS) {
        partialScores(wFolded, bFolded, classes, dim, dFrom, dTo, q, dim, 0, rows, rowStart, n, s, sOffset, ldS);
    }

    /**
     * {@link #partialScores(float[], float[], int, int, int, int, byte[], int[], int, int, float[], int, int)}
     * on images stored in rows of {@code rowLength} pixels that start at column {@code firstColumn}: the pixel
     * of sample i at column d in {@code [dFrom, dTo)} is {@code q[i * rowLength + d - firstColumn]}. Whole
     * images are {@code (dim, 0)}; {@link org.vectrain.engine.layout.ColumnPlanes} stores a range of columns of
     * every image apart.
     */
    void partialScores(float[] wFolded, float[] bFolded, int classes, int dim, int dFrom, int dTo, byte[] q,
            int rowLength, int firstColumn, int[] rows, int rowStart, int n, float[] s, int sOffset, int ldS);

    /**
     * {@link #partialScores(float[], float[], int, int, int, int, byte[], int, int, int[], int, int, float[], int,
     * int)} without b', on the consecutive images {@code [first, first + n)} of a plane of
     * {@link org.vectrain.engine.layout.SampleQuads} of padded width {@code width} whose range starts at column
     * {@code firstColumn}: the pixel of image i at column d is
     * {@code quads[SampleQuads.offset(i, d - firstColumn, width)]}. The same bits as on rows. Assumes
     * {@code first} a multiple of {@link org.vectrain.engine.layout.SampleQuads#MEMBERS} and
     * {@code dFrom - firstColumn} a multiple of {@link org.vectrain.engine.layout.SampleQuads#UNIT}; the quad of
     * the last image may be read whole.
     */
    void quadScores(float[] wFolded, int classes, int dim, int dFrom, int dTo, byte[] quads, int width,
            int firstColumn, int first, int n, float[] s, int sOffset, int ldS);

    /**
     * Scores of whole blocks of samples in the dimension-major layout
     * ({@link org.vectrain.engine.layout.SampleBlocks}): block i of {@link #SAMPLE_BLOCK} samples starts at
     * {@code q[i * SAMPLE_BLOCK * D]} and holds the signed value of sample j, dimension d at
     * {@code q[i * SAMPLE_BLOCK * D + d * SAMPLE_BLOCK + j]}. For the blocks
     * {@code [firstBlock, firstBlock + blockCount)}, {@code S[k][c] = b'[k] + sum_d Wt[d][k] q[d][c]} with
     * the sum taken in order of d, one fused multiply-add per term, so every implementation gives the same
     * bits. W' comes transposed, D x K; S is written at {@code s[k * ldS + c]} for the
     * {@code blockCount * SAMPLE_BLOCK} columns c, padding samples included.
     */
    void blockScores(float[] wTransposed, float[] b, int classes, int dim, byte[] q, int firstBlock, int blockCount,
            float[] s, int ldS);

    /**
     * Fused softmax + cross-entropy over K x n scores, in one pass, stable by max-subtraction.
     * Adds the summed loss {@code -log p_y} and the number of samples whose arg-max score is the label
     * into {@code acc}. When {@code g} is not null it receives {@code G = (P - Y) * gScale}, K x n.
     * When {@code predictions} is not null it receives the arg-max class of each sample
     * (at {@code predictions[predOffset + j]}).
     *
     * @param labels the label of sample j at {@code labels[j]} (gathered for the batch by the caller)
     */
    void softmaxCrossEntropy(float[] s, int classes, int n, int[] labels, float[] g, float gScale,
            int[] predictions, int predOffset, LossAccumulator acc);

    /**
     * The fold of {@link #fold} on the columns {@code [dFrom, dTo)} only: {@code W'[k][d] = W[k][d] a[d]}
     * into {@code wOut} there, and the partial shift {@code sum_{d in [dFrom, dTo)} W[k][d] c[d]} of class k
     * into {@code shiftOut[shiftOffset + k]}, summed as {@link #stepFromGradient} sums a strip.
     */
    void foldColumns(float[] w, int classes, int dim, float[] a, float[] c, float[] wOut, float[] shiftOut,
            int shiftOffset, int dFrom, int dTo);

    /**
     * The weight-gradient GEMM of the samples {@code [jFrom, jFrom + count)} of the batch, stored:
     * {@code out[k][d] = sum_j G[k][j] Q[rows[rowStart + j]][d]} (K x m times m x D) for the columns
     * {@code [dFrom, dTo)}. G comes transposed, sample-major ({@code G[k][j]} at {@code gT[j * K + k]}): the
     * K values a sample contributes are then adjacent, one address for all of them. The result for the
     * whole batch or a part of it, as {@link #stepFromGradient} reads it. A column's
     * value does not depend on the range it was computed in when {@code dFrom} is a multiple of 32.
     */
    default void gradientPart(float[] gT, int classes, int jFrom, int count, byte[] q, int dim, int[] rows,
            int rowStart, float[] out, int dFrom, int dTo) {
        gradientPart(gT, classes, jFrom, count, q, dim, 0, rows, rowStart, out, dim, dFrom, dTo);
    }

    /**
     * {@link #gradientPart(float[], int, int, int, byte[], int, int[], int, float[], int, int)} on images
     * stored in rows of {@code rowLength} pixels that start at column {@code firstColumn}, as
     * {@link #partialScores(float[], float[], int, int, int, int, byte[], int, int, int[], int, int, float[], int, int)}
     * reads them; {@code out} is K x {@code dim}.
     */
    void gradientPart(float[] gT, int classes, int jFrom, int count, byte[] q, int rowLength, int firstColumn,
            int[] rows, int rowStart, float[] out, int dim, int dFrom, int dTo);

    /**
     * {@link #gradientPart(float[], int, int, int, byte[], int, int, int[], int, float[], int, int, int)} of the
     * whole batch (G's samples {@code [0, count)}, images {@code rows[rowStart + j]}) on a plane of
     * {@link org.vectrain.engine.layout.SampleQuads}, addressed as {@link #quadScores} addresses it, with
     * {@code dFrom - firstColumn} a multiple of {@link org.vectrain.engine.layout.SampleQuads#UNIT}. The same bits
     * as on rows.
     */
    void quadGradient(float[] gT, int classes, int count, byte[] quads, int width, int firstColumn, int[] rows,
            int rowStart, float[] out, int dim, int dFrom, int dTo);

    /**
     * Whether training should read {@link org.vectrain.engine.layout.SampleQuads} with these kernels: vector
     * kernels of {@link org.vectrain.engine.layout.SampleQuads#UNIT} lanes. The vector quad kernels need that
     * many lanes (not 256-bit vectors); the scalar ones work always but are slower on quads than on rows
     * (they compute each pixel's place), so they serve as the reference only.
     */
    default boolean readsQuads() {
        return lanes() == org.vectrain.engine.layout.SampleQuads.UNIT;
    }

    /**
     * The SGD step on the columns {@code [dFrom, dTo)} of W from the batch's stored weight gradient
     * {@code A = G Q} (K x D, as {@link #gradientPart} writes it), with the new W folded at once:
     * {@code dW = A diag(a) + gSum c^T + 2 lambda W}, {@code W <- W + scale dW}, {@code W' = W diag(a)} into
     * {@code wFolded}, and for every strip of {@code strip} columns from {@code dFrom} (which is a multiple
     * of {@code strip}) the partial shift of the new W, as {@link #foldColumns} computes it, into
     * {@code shiftOut[(strip start / strip) * K + k]}.
     */
    default void stepFromGradient(float[] gradient, float[] gSum, int classes, int dim, float[] a, float[] c,
            float[] w, float twoLambda, float scale, float[] wFolded, float[] shiftOut, int strip, int dFrom,
            int dTo) {
        stepFromGradient(gradient, gSum, classes, dim, a, c, w, null, twoLambda, scale, wFolded, shiftOut, strip,
                dFrom, dTo);
    }

    /**
     * {@link #stepFromGradient(float[], float[], int, int, float[], float[], float[], float, float, float[],
     * float[], int, int, int)} that also stores the new W into {@code wCopy} (K x D, same columns) when it is
     * not null: for a caller that steps a private copy of W and keeps the shared one current by stores alone.
     */
    void stepFromGradient(float[] gradient, float[] gSum, int classes, int dim, float[] a, float[] c,
            float[] w, float[] wCopy, float twoLambda, float scale, float[] wFolded, float[] shiftOut, int strip,
            int dFrom, int dTo);

    /**
     * {@code out = a^T}: a is rows x cols, row-major, and out becomes cols x rows. For G, which the softmax
     * writes class-major (K x n) and the gradient kernels read sample-major.
     */
    static void transpose(float[] a, int rows, int cols, float[] out) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = a[r * cols + c];
            }
        }
    }

    /** Sum of squares of {@code a[from, to)}, accumulated in float lanes and returned in double. */
    double sumOfSquares(float[] a, int from, int to);
}
