package org.vectrain.engine.train;

import java.util.function.IntConsumer;
import org.vectrain.engine.model.DataSet;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.simd.Kernels;
import org.vectrain.engine.simd.LossAccumulator;
import org.vectrain.engine.simd.LossKernel;
import org.vectrain.engine.simd.VectorTranslation;

/**
 * The fused mini-batch step, in four phases over one batch of n samples:
 * <ol>
 *   <li>fold the normalisation into the parameters: {@code W' = W diag(a)}, {@code b' = b + W c};
 *   <li>forward: {@code S = W' Q_b + b'} (K x n), threads split the samples;
 *   <li>softmax + cross-entropy: {@code G = (P - Y) / n} (K x n), one pass;
 *   <li>update: {@code W <- W - eta (G X_b + 2 lambda W)}, threads split the columns of W in
 *       {@link #COLUMN_ALIGN}-float strips; {@code b <- b - eta G 1}.
 * </ol>
 * dW is never stored: each strip of W is updated as soon as its gradient is in registers. Buffers are
 * sized for the largest batch once; a step allocates nothing.
 *
 * <p>With flips, the batch's images are first copied (flipped where asked, see {@link HorizontalFlip})
 * into a per-step buffer of n x D bytes, which both GEMMs then read in place of the set; the set itself
 * is never copied or changed, and the normalisation of dimension d applies to the pixel now at d. Translations
 * ({@link ImageTranslation}) take the same path, flip and move in one pass per image.
 *
 * <p>Every column of W and every score is computed by the same code path whatever the thread count,
 * so results do not depend on it.
 */
public final class SgdStep {
    /** Column split granularity: whole register strips of the gradient kernel (32 floats at 512 bits). */
    public static final int COLUMN_ALIGN = 64;
    /** Fewest samples per thread for the forward pass to be split; below it a barrier costs more than it saves. */
    static final int MIN_SAMPLES_PER_THREAD = 8;

    private final Kernels kernels;
    private final WorkerPool pool;
    private final float[] s;
    private final float[] g;
    private final float[] gSum;
    private final float[] wFolded;
    private final float[] bFolded;
    private final int[] labels;
    private final int maxBatch;
    /** n x D bytes of the flipped batch and the row indices 0..n-1 into it; made on the first flipped step. */
    private byte[] batchPixels;
    private int[] batchRows;
    private final LossAccumulator acc = new LossAccumulator();
    private final LossKernel loss;
    /** Flip and move with the Vector API when the kernels use it (the module is then present), else scalar. */
    private final boolean vectorFlip;
    /** The two parallel phases, bound once: a method reference made per step would allocate per step. */
    private final IntConsumer forward = this::forwardPart;
    private final IntConsumer update = this::updatePart;

    // The batch being stepped, read by the parts.
    private SoftmaxModel model;
    private DataSet data;
    private byte[] pixels;
    private int[] rows;
    private int rowStart;
    private int n;
    private int forwardParts;
    private int columnParts;
    private float eta;
    private float twoLambda;

    /** Buffers for models of {@code classes} x {@code dim} and batches of up to {@code maxBatch}. */
    public SgdStep(Kernels kernels, WorkerPool pool, int classes, int dim, int maxBatch) {
        this(kernels, pool, classes, dim, maxBatch, kernels::softmaxCrossEntropy);
    }

    /** As the softmax step, with {@code loss} giving G in phase 3. */
    public SgdStep(Kernels kernels, WorkerPool pool, int classes, int dim, int maxBatch, LossKernel loss) {
        this.loss = loss;
        this.vectorFlip = kernels.lanes() > 1;
        this.kernels = kernels;
        this.pool = pool;
        this.s = new float[classes * maxBatch];
        this.g = new float[classes * maxBatch];
        this.gSum = new float[classes];
        this.wFolded = new float[classes * dim];
        this.bFolded = new float[classes];
        this.labels = new int[maxBatch];
        this.maxBatch = maxBatch;
    }

    /**
     * One step on samples {@code rows[rowStart .. rowStart + n)} of {@code set}. Updates the model in
     * place and returns the batch's summed loss before the update (from the forward pass).
     */
    public double step(SoftmaxModel model, DataSet set, int[] rows, int rowStart, int n, double eta, double lambda) {
        return step(model, set, rows, rowStart, n, eta, lambda, null);
    }

    /**
     * As {@link #step(SoftmaxModel, DataSet, int[], int, int, double, double)}, with sample i of the set
     * mirrored left-right when {@code flipped[i]} (indexed by sample, not by batch position). With
     * {@code flipped == null} nothing is copied and the step is exactly the plain one.
     */
    public double step(SoftmaxModel model, DataSet set, int[] rows, int rowStart, int n, double eta, double lambda,
            boolean[] flipped) {
        return step(model, set, rows, rowStart, n, eta, lambda, flipped, null);
    }

    /**
     * As {@link #step(SoftmaxModel, DataSet, int[], int, int, double, double, boolean[])}, with sample i
     * also moved by {@code (moves[2i], moves[2i + 1])} pixels (see {@link ImageTranslation}); with both
     * {@code flipped} and {@code moves} null nothing is copied.
     */
    public double step(SoftmaxModel model, DataSet set, int[] rows, int rowStart, int n, double eta, double lambda,
            boolean[] flipped, byte[] moves) {
        int[] setLabels = set.labels();
        for (int j = 0; j < n; j++) {
            labels[j] = setLabels[rows[rowStart + j]];
        }
        this.model = model;
        this.data = set;
        if (flipped == null && moves == null) {
            this.pixels = set.pixels();
            this.rows = rows;
            this.rowStart = rowStart;
        } else {
            gatherAugmented(set, rows, rowStart, n, flipped, moves);
            this.pixels = batchPixels;
            this.rows = batchRows;
            this.rowStart = 0;
        }
        this.n = n;
        this.eta = (float) eta;
        this.twoLambda = (float) (2 * lambda);
        int threads = pool.threads();
        this.forwardParts = Math.max(1, Math.min(threads, n / MIN_SAMPLES_PER_THREAD));
        this.columnParts = Math.max(1, Math.min(threads, model.dim() / COLUMN_ALIGN));

        kernels.fold(model.weights(), model.bias(), model.classes(), model.dim(), set.scale(), set.shift(), wFolded,
                bFolded);
        pool.run(forwardParts, forward);
        acc.reset();
        loss.lossAndGradient(s, model.classes(), n, labels, g, 1f / n, null, 0, acc);
        // db = G 1, the row sums of G; the weight gradient needs them too (dW = a (G Q) + c db + 2 lambda W).
        for (int k = 0; k < gSum.length; k++) {
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                sum += g[k * n + j];
            }
            gSum[k] = sum;
        }
        pool.run(columnParts, update);
        float[] b = model.bias();
        for (int k = 0; k < b.length; k++) {
            b[k] -= this.eta * gSum[k];
        }
        this.model = null;
        this.data = null;
        this.pixels = null;
        this.rows = null;
        return acc.lossSum();
    }

    /**
     * Copies the batch's images into {@link #batchPixels}, flipping those marked in {@code flipped} (may be
     * null) and moving those {@code moves} (may be null) gives a non-zero shift.
     */
    private void gatherAugmented(DataSet set, int[] rows, int rowStart, int n, boolean[] flipped, byte[] moves) {
        int dim = set.dim();
        if (dim != HorizontalFlip.IMAGE) {
            throw new IllegalArgumentException("flips and translations need CIFAR images of " + HorizontalFlip.IMAGE
                    + " pixels, the set has " + dim);
        }
        if (batchPixels == null) {
            batchPixels = new byte[maxBatch * dim];
            batchRows = new int[maxBatch];
            for (int j = 0; j < maxBatch; j++) {
                batchRows[j] = j;
            }
        }
        byte[] src = set.pixels();
        for (int j = 0; j < n; j++) {
            int i = rows[rowStart + j];
            boolean flip = flipped != null && flipped[i];
            int dx = moves == null ? 0 : moves[2 * i];
            int dy = moves == null ? 0 : moves[2 * i + 1];
            if (flip || dx != 0 || dy != 0) {
                // a flip alone is the move (0, 0) of a flipped image: one shuffle per row either way
                if (vectorFlip) {
                    VectorTranslation.translateInto(src, i * dim, batchPixels, j * dim, flip, dx, dy);
                } else {
                    ImageTranslation.translateInto(src, i * dim, batchPixels, j * dim, flip, dx, dy);
                }
            } else {
                System.arraycopy(src, i * dim, batchPixels, j * dim, dim);
            }
        }
    }

    private void forwardPart(int part) {
        int j0 = part * n / forwardParts;
        int j1 = (part + 1) * n / forwardParts;
        kernels.forwardScores(wFolded, bFolded, model.classes(), model.dim(), pixels, rows, rowStart + j0,
                j1 - j0, s, j0, n);
    }

    private void updatePart(int part) {
        int dim = model.dim();
        int strips = (dim + COLUMN_ALIGN - 1) / COLUMN_ALIGN;
        int d0 = Math.min(dim, part * strips / columnParts * COLUMN_ALIGN);
        int d1 = Math.min(dim, (part + 1) * strips / columnParts * COLUMN_ALIGN);
        float[] w = model.weights();
        kernels.weightGradient(g, gSum, model.classes(), n, pixels, dim, rows, rowStart, data.scale(),
                data.shift(), w, twoLambda, 1f, -eta, w, d0, d1);
    }
}
