package org.vectrain.engine.simd;

/**
 * The compute kernels of the model, on raw row-major {@code float[]}. One implementation uses the
 * Vector API ({@link VectorKernels}), its twin is plain scalar Java
 * ({@link org.vectrain.engine.reference.ScalarKernels}); {@link KernelProvider} picks one at start-up.
 *
 * <p>Shapes: K classes, D dimensions, a batch of n samples. W is K x D, b has K entries. The data X
 * is stored sample-major, one row of D floats per image, exactly like the CIFAR records, so a batch
 * is a list of row indices into X ({@code rows[rowStart .. rowStart + n)}) and shuffling never moves
 * pixels. Scores S and their gradient G are class-major, K x n, so that the softmax works on whole
 * vectors of samples for each class.
 *
 * <p>All methods assume valid arguments; the public entry points of the model and trainer check them.
 */
public interface Kernels {

    /** A short description for run metadata, for example {@code "Vector API, Float512 (16 lanes)"}. */
    String description();

    /** Float lanes per vector, 1 for the scalar kernels. */
    int lanes();

    /**
     * Forward scores of a batch: {@code S[k][j] = b[k] + sum_d W[k][d] * X[rows[rowStart + j]][d]},
     * K x D times D x n, written to {@code s[sOffset + k * ldS + j]} (K x n inside a K x ldS matrix,
     * so that threads can each fill a block of columns).
     */
    void forwardScores(float[] w, float[] b, int classes, int dim, float[] x, int[] rows, int rowStart, int n,
            float[] s, int sOffset, int ldS);

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
     * Fused weight-gradient GEMM and update for the columns {@code [dFrom, dTo)} of W:
     * {@code A = G X} (K x n times n x D), then
     * {@code out[k][d] = keep * W[k][d] + scale * (A[k][d] + twoLambda * W[k][d])}.
     * With {@code out == w, keep = 1, scale = -eta} this is the SGD step
     * {@code W <- W - eta (dW + 2 lambda W)}; with {@code keep = 0, scale = 1} it writes dW itself.
     * G must already carry the 1/n factor. {@code out} may alias {@code w}.
     */
    void weightGradient(float[] g, int classes, int n, float[] x, int dim, int[] rows, int rowStart, float[] w,
            float twoLambda, float keep, float scale, float[] out, int dFrom, int dTo);

    /** Sum of squares of {@code a[from, to)}, accumulated in float lanes and returned in double. */
    double sumOfSquares(float[] a, int from, int to);
}
