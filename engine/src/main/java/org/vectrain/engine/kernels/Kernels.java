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
 * <p>Arguments that travel together come as small records: where a part of a batch reads its pixels
 * ({@link RowSource}, {@link QuadSource}), where scores are written ({@link ScoreTile}), a range of columns
 * ({@link Columns}), the folded parameters ({@link FoldedWeights}), the normalisation ({@link Affine}) and what
 * a step writes ({@link StepTarget}). The training step and the evaluation make them once per part or pass, not
 * per call, so that a step allocates nothing; the implementations unpack them at the top of a method and run
 * loops on primitives.
 * {@link #softmaxCrossEntropy} keeps its nine plain arguments: its optional outputs change with every chunk
 * of an evaluation, where a record per call would allocate.
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
     * {@code S[k][j] = b'[k] + sum_d W'[k][d] * Q[rows[rowStart + j]][d]}, K x D times D x n, written as
     * {@code out} says: {@link #partialScores} on all of D.
     */
    default void forwardScores(FoldedWeights weights, RowSource images, int rowStart, int n, ScoreTile out) {
        partialScores(weights, Columns.all(weights.dim()), images, rowStart, n, out);
    }

    /**
     * The forward product on the columns {@code [dFrom, dTo)} of {@code columns} only, plus b' where
     * {@code weights.b()} is not null: {@code S[k][j] = b'[k] + sum_{d in [dFrom, dTo)} W'[k][d] * Q[rows[rowStart
     * + j]][d]}, the images read as {@code images} says. Partial products of disjoint column ranges, added in a
     * fixed order, give the scores of a batch whose columns are split between threads.
     */
    void partialScores(FoldedWeights weights, Columns columns, RowSource images, int rowStart, int n, ScoreTile out);

    /**
     * {@link #partialScores} without b', on the consecutive images {@code [first, first + n)} of a plane of
     * {@link org.vectrain.engine.layout.SampleQuads}. The same bits as on rows. Assumes {@code first} a multiple
     * of {@link org.vectrain.engine.layout.SampleQuads#MEMBERS} and {@code dFrom - firstColumn} a multiple of
     * {@link org.vectrain.engine.layout.SampleQuads#UNIT}; the quad of the last image may be read whole.
     */
    void quadScores(FoldedWeights weights, Columns columns, QuadSource images, int first, int n, ScoreTile out);

    /**
     * Scores of whole blocks of samples in the dimension-major layout
     * ({@link org.vectrain.engine.layout.SampleBlocks}): block i of {@link #SAMPLE_BLOCK} samples starts at
     * {@code q[i * SAMPLE_BLOCK * D]} and holds the signed value of sample j, dimension d at
     * {@code q[i * SAMPLE_BLOCK * D + d * SAMPLE_BLOCK + j]}. For the blocks
     * {@code [firstBlock, firstBlock + blockCount)}, {@code S[k][c] = b'[k] + sum_d Wt[d][k] q[d][c]} with
     * the sum taken in order of d, one fused multiply-add per term, so every implementation gives the same
     * bits. W' comes transposed ({@code transposed.w()} is D x K); S is written at {@code s[k * ldS + c]} for
     * the {@code blockCount * SAMPLE_BLOCK} columns c, padding samples included.
     */
    void blockScores(FoldedWeights transposed, byte[] q, int firstBlock, int blockCount, float[] s, int ldS);

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
     * {@link #softmaxCrossEntropy} as a {@link LossKernel}, made in this one place for every caller. A call through
     * an interface is compiled for the classes it has met; every method reference is a class of its own, so a
     * second reference to the same kernel, first met after the compiler has seen the first, would throw away the
     * compiled training step and have it compiled again on the cores the run needs.
     */
    default LossKernel softmaxLoss() {
        return this::softmaxCrossEntropy;
    }

    /**
     * The fold of {@link #fold} on the columns {@code [dFrom, dTo)} of {@code columns} only:
     * {@code W'[k][d] = W[k][d] a[d]} into {@code wOut} there, and the partial shift
     * {@code sum_{d in [dFrom, dTo)} W[k][d] c[d]} of class k into {@code shiftOut[shiftOffset + k]}, summed as
     * {@link #stepFromGradient} sums a strip. W and wOut are K x {@code columns.width()}.
     */
    void foldColumns(float[] w, int classes, Affine map, float[] wOut, float[] shiftOut, int shiftOffset,
            Columns columns);

    /**
     * The weight-gradient GEMM of the samples {@code [jFrom, jFrom + count)} of the batch, stored:
     * {@code out[k][d] = sum_j G[k][j] Q[rows[rowStart + j]][d]} (K x m times m x D) for the columns
     * {@code [dFrom, dTo)} of {@code columns}, {@code out} being K x {@code columns.width()}, the images read as
     * {@code images} says. G comes transposed, sample-major ({@code G[k][j]} at {@code gT[j * K + k]}): the
     * K values a sample contributes are then adjacent, one address for all of them. The result for the
     * whole batch or a part of it, as {@link #stepFromGradient} reads it. A column's
     * value does not depend on the range it was computed in when {@code dFrom} is a multiple of 32.
     */
    void gradientPart(float[] gT, int classes, int jFrom, int count, RowSource images, int rowStart, float[] out,
            Columns columns);

    /**
     * {@link #gradientPart} of the whole batch (G's samples {@code [0, count)}, images {@code rows[rowStart + j]})
     * on a plane of {@link org.vectrain.engine.layout.SampleQuads}, addressed as {@link #quadScores} addresses
     * it, with {@code dFrom - firstColumn} a multiple of {@link org.vectrain.engine.layout.SampleQuads#UNIT}. The
     * same bits as on rows.
     */
    void quadGradient(float[] gT, int classes, int count, QuadSource images, int[] rows, int rowStart, float[] out,
            Columns columns);

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
     * The SGD step on the columns {@code [dFrom, dTo)} of W ({@code columns}, W being K x D with
     * {@code D = columns.width()}) from the batch's stored weight gradient {@code A = G Q} (K x D, as
     * {@link #gradientPart} writes it), with the new W folded at once: {@code dW = A diag(a) + gSum c^T +
     * 2 lambda W}, {@code W <- W + scale dW}, into {@code target.w()} and, when not null, {@code target.wCopy()}
     * (for a caller that steps a private copy of W and keeps the shared one current by stores alone);
     * {@code W' = W diag(a)} into {@code target.wFolded()}; and for every strip of {@code target.strip()}
     * columns from {@code dFrom} (which is a multiple of the strip) the partial shift of the new W, as
     * {@link #foldColumns} computes it, into {@code target.shiftOut()[(strip start / strip) * K + k]}.
     */
    void stepFromGradient(float[] gradient, float[] gSum, Affine map, StepTarget target, float twoLambda,
            float scale, Columns columns);

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
