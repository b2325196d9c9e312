package org.vectrain.engine.simd;

/**
 * The compute kernels of the model, on raw row-major arrays. One implementation uses the Vector API
 * ({@link VectorKernels}), its twin is plain scalar Java
 * ({@link org.vectrain.engine.reference.ScalarKernels}); {@link KernelProvider} picks one at start-up.
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
     * block of columns).
     */
    void forwardScores(float[] wFolded, float[] bFolded, int classes, int dim, byte[] q, int[] rows, int rowStart,
            int n, float[] s, int sOffset, int ldS);

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
     * {@code A = G Q_b} (K x n times n x D), the gradient
     * {@code dW[k][d] = a[d] A[k][d] + c[d] gSum[k] + twoLambda W[k][d]} (which is {@code G X_b + 2 lambda W}
     * with {@code gSum} the row sums of G), then {@code out[k][d] = keep * W[k][d] + scale * dW[k][d]}.
     * With {@code out == w, keep = 1, scale = -eta} this is the SGD step; with {@code keep = 0, scale = 1}
     * it writes dW itself. G must already carry the 1/n factor. {@code out} may alias {@code w}.
     */
    void weightGradient(float[] g, float[] gSum, int classes, int n, byte[] q, int dim, int[] rows, int rowStart,
            float[] a, float[] c, float[] w, float twoLambda, float keep, float scale, float[] out, int dFrom,
            int dTo);

    /**
     * Dimensions of one sample in one strip of a packed batch: 256 bytes, four cache lines. A strip of a
     * whole batch (n x 256 bytes, 25 KB at n = 100) is contiguous and fits L1 while the gradient GEMM
     * passes over it, and the forward GEMM's loop over a strip is long enough to hide its set-up.
     */
    int STRIP = 256;

    /** Strips of a row of {@code dim} dimensions; the last is padded with zeros when STRIP does not divide dim. */
    static int strips(int dim) {
        return (dim + STRIP - 1) / STRIP;
    }

    /**
     * Packs samples {@code [jFrom, jTo)} of a batch of n for {@link #forwardPacked} and
     * {@link #gradientPacked}: dimension {@code d = s STRIP + t} of sample j (row {@code rows[rowStart + j]})
     * goes to {@code packed[(s n + j) STRIP + t]}, still the unsigned byte of the image (a plain copy where
     * nothing is flipped), taken from the pixel mirrored left-right within its 32-pixel image row when
     * {@code flipped != null && flipped[row]} (CIFAR images only); padding past dim is the byte that reads
     * as {@code q = 0}. {@code packed} holds {@code strips(dim) n STRIP} bytes; threads that pack disjoint
     * sample ranges write disjoint bytes.
     */
    void pack(byte[] pixels, int dim, int[] rows, int rowStart, int n, int jFrom, int jTo, boolean[] flipped,
            byte[] packed);

    /**
     * Forward scores of samples {@code [jFrom, jTo)} of a packed batch of n, on folded parameters:
     * {@code scores[k n + j] = b'[k] + sum_d W'[k][d] Q[j][d]}, K x D times D x n. Each sum runs over D
     * lane by lane, then across the lanes in lane order, so a sample's score does not depend on the
     * range it was computed in.
     */
    void forwardPacked(float[] wFolded, float[] bFolded, int classes, int dim, byte[] packed, int n, int jFrom,
            int jTo, float[] scores);

    /**
     * {@link #pack} and then {@link #forwardPacked} of the same samples, with the same results; the vector
     * kernels do both in one pass over the pixels where they can (no flips), so that reading the images
     * from memory overlaps the arithmetic instead of preceding it.
     */
    void packAndForward(byte[] pixels, int[] rows, int rowStart, int n, int jFrom, int jTo, boolean[] flipped,
            float[] wFolded, float[] bFolded, int classes, int dim, byte[] packed, float[] scores);

    /**
     * The SGD update of the columns in strips {@code [stripFrom, stripTo)}, from a packed batch of n, with the
     * fold of the new parameters fused in: {@code A = G Q} (K x n times n x D),
     * {@code W[k][d] -= eta (a[d] A[k][d] + c[d] gSum[k] + twoLambda W[k][d])}, then
     * {@code wFolded[k][d] = a[d] W[k][d]} and {@code shift[k] = sum_{d in the strips} c[d] W[k][d]} with
     * the new W (the strips' share of {@code b' = b + W c}). G carries the 1/n factor. In whole strips
     * the new W has the bits of {@link #weightGradient}'s SGD step.
     */
    void gradientPacked(float[] g, float[] gSum, int classes, int n, byte[] packed, int dim, float[] a, float[] c,
            float[] w, float twoLambda, float eta, float[] wFolded, float[] shift, int stripFrom, int stripTo);

    /**
     * The fold of the strips {@code [stripFrom, stripTo)} alone: {@code wFolded[k][d] = a[d] W[k][d]} and
     * {@code shift[k] = sum_{d in the strips} c[d] W[k][d]}, summed as {@link #gradientPacked} sums it.
     */
    void foldStrips(float[] w, int classes, int dim, float[] a, float[] c, float[] wFolded, float[] shift,
            int stripFrom, int stripTo);

    /** Sum of squares of {@code a[from, to)}, accumulated in float lanes and returned in double. */
    double sumOfSquares(float[] a, int from, int to);
}
