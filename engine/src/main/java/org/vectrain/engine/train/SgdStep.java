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
 * The mini-batch step, in two parallel phases over one batch of n samples:
 * <ol>
 *   <li>per half of the batch (always {@link #SAMPLE_PARTS} halves, whatever the thread count): the
 *       forward pass {@code S_p = W' Q_p + b'}, softmax + cross-entropy {@code G_p = (P_p - Y_p) / n} and
 *       the half's weight gradient {@code A_p = G_p Q_p} (K x D, stored). A thread reads only its own
 *       half's images, twice, the second time from its cache;
 *   <li>per {@link #COLUMN_STRIP}-column strip of W (threads take runs of strips): the update
 *       {@code W <- W - eta (diag(a) (A_0 + A_1) + c (G 1)^T + 2 lambda W)} and at once the fold of the new W
 *       for the next step, {@code W' = W diag(a)} and the strip's part of {@code W c}.
 * </ol>
 * The caller then adds up the halves' losses and {@code G 1}, updates b and folds it,
 * {@code b' = b + W c} (strip parts in strip order). So only A_p and W' cross between cores, and no phase
 * runs on one thread while the others wait. The halves' gradients are added in half order and b' in
 * strip order, so results do not depend on the thread count.
 *
 * <p>W' carries over to the next step: it is made afresh only when the step sees another weight array or
 * another normalisation than last time. A caller that changes W in place between steps (nothing in
 * vectrain does) must call {@link #forgetFold()}.
 *
 * <p>With flips, the batch's images are first copied (flipped where asked, see {@link HorizontalFlip})
 * into a per-step buffer of n x D bytes, which both GEMMs then read in place of the set; the set itself
 * is never copied or changed, and the normalisation of dimension d applies to the pixel now at d. Translations
 * ({@link ImageTranslation}) take the same path, flip and move in one pass per image.
 *
 * <p>Buffers are sized for the largest batch once; a step allocates nothing.
 */
public final class SgdStep {
    /**
     * Columns per strip, the unit of the column split and of the fold's partial sums of {@code W c} (so
     * b' is summed in the same order whatever the thread count); 12 strips at D = 3072.
     */
    public static final int COLUMN_STRIP = 256;
    /** Parts of the batch in the sample phase, fixed so that the gradient is summed in a fixed order. */
    static final int SAMPLE_PARTS = 2;
    /** Fewest samples per part for the batch to be split; smaller batches are one part. */
    static final int MIN_SAMPLES_PER_PART = 8;
    /** Part boundaries fall on multiples of the forward kernel's sample tile (4 samples). */
    static final int PART_ALIGN = 4;

    private final Kernels kernels;
    private final WorkerPool pool;
    private final float[][] s;
    private final float[][] g;
    private final int[][] partLabels;
    private final float[][] gSumParts;
    private final float[][] gradients;
    private final LossAccumulator[] accumulators;
    private final float[] gSum;
    private final float[] wFolded;
    private final float[] bFolded;
    /** The partial shifts {@code W c} of each strip of the current W, strip-major: {@code shiftParts[strip * K + k]}. */
    private final float[] shiftParts;
    private final int[] labels;
    private final int maxBatch;
    /** What W' and shiftParts were folded from: the weight array and the normalisation; null when stale. */
    private float[] foldedWeights;
    private float[] foldedScale;
    private float[] foldedShift;
    /** n x D bytes of the flipped batch and the row indices 0..n-1 into it; made on the first flipped step. */
    private byte[] batchPixels;
    private int[] batchRows;
    private final LossKernel loss;
    /** Flip and move with the Vector API when the kernels use it (the module is then present), else scalar. */
    private final boolean vectorFlip;
    /** The parallel phases, bound once: a method reference made per step would allocate per step. */
    private final IntConsumer fold = this::foldPart;
    private final IntConsumer samples = this::samplePart;
    private final IntConsumer update = this::updatePart;

    // The batch being stepped, read by the parts.
    private SoftmaxModel model;
    private DataSet data;
    private byte[] pixels;
    private int[] rows;
    private int rowStart;
    private int n;
    private int sampleParts;
    /**
     * Whether the last part's gradient is computed in the update phase, strip by strip, instead of in the
     * sample phase: with one thread both phases run on the same core, and the gradient strip is then read
     * back from L1 rather than from a whole K x D array in L2. The same bits either way.
     */
    private boolean lastPartInUpdate;
    private int columnParts;
    private float eta;
    private float twoLambda;

    /** Buffers for models of {@code classes} x {@code dim} and batches of up to {@code maxBatch}. */
    public SgdStep(Kernels kernels, WorkerPool pool, int classes, int dim, int maxBatch) {
        this(kernels, pool, classes, dim, maxBatch, kernels::softmaxCrossEntropy);
    }

    /** As the softmax step, with {@code loss} giving G in the sample phase. */
    public SgdStep(Kernels kernels, WorkerPool pool, int classes, int dim, int maxBatch, LossKernel loss) {
        this.loss = loss;
        this.vectorFlip = kernels.lanes() > 1;
        this.kernels = kernels;
        this.pool = pool;
        this.s = new float[SAMPLE_PARTS][classes * maxBatch];
        this.g = new float[SAMPLE_PARTS][classes * maxBatch];
        this.partLabels = new int[SAMPLE_PARTS][maxBatch];
        this.gSumParts = new float[SAMPLE_PARTS][classes];
        this.gradients = new float[SAMPLE_PARTS][classes * dim];
        this.accumulators = new LossAccumulator[SAMPLE_PARTS];
        for (int p = 0; p < SAMPLE_PARTS; p++) {
            accumulators[p] = new LossAccumulator();
        }
        this.gSum = new float[classes];
        this.wFolded = new float[classes * dim];
        this.bFolded = new float[classes];
        this.shiftParts = new float[strips(dim) * classes];
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
        this.sampleParts = n >= SAMPLE_PARTS * MIN_SAMPLES_PER_PART ? SAMPLE_PARTS : 1;
        int classes = model.classes();
        int strips = strips(model.dim());
        this.columnParts = Math.max(1, Math.min(pool.threads(), strips));
        this.lastPartInUpdate = pool.threads() == 1;

        float[] w = model.weights();
        if (w != foldedWeights || set.scale() != foldedScale || set.shift() != foldedShift) {
            pool.runPinned(columnParts, fold);
            foldedScale = set.scale();
            foldedShift = set.shift();
        }
        // Stale until the update below has refolded the new W (also if a part throws).
        foldedWeights = null;
        float[] b = model.bias();
        for (int k = 0; k < classes; k++) {
            float shift = 0f;
            for (int strip = 0; strip < strips; strip++) {
                shift += shiftParts[strip * classes + k];
            }
            bFolded[k] = b[k] + shift;
        }
        pool.runPinned(sampleParts, samples);
        double lossSum = 0;
        for (int p = 0; p < sampleParts; p++) {
            lossSum += accumulators[p].lossSum();
        }
        // db = G 1, the row sums of G; the weight gradient needs them too (dW = a (G Q) + c db + 2 lambda W).
        for (int k = 0; k < classes; k++) {
            float sum = gSumParts[0][k];
            for (int p = 1; p < sampleParts; p++) {
                sum += gSumParts[p][k];
            }
            gSum[k] = sum;
        }
        pool.runPinned(columnParts, update);
        foldedWeights = w;
        for (int k = 0; k < classes; k++) {
            b[k] -= this.eta * gSum[k];
        }
        this.model = null;
        this.data = null;
        this.pixels = null;
        this.rows = null;
        return lossSum;
    }

    /** Makes the next step fold W afresh: for a caller that has changed W in place since the last step. */
    public void forgetFold() {
        foldedWeights = null;
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

    private static int strips(int dim) {
        return (dim + COLUMN_STRIP - 1) / COLUMN_STRIP;
    }

    /** The first strip of column part {@code part}; part p owns strips [firstStrip(p), firstStrip(p + 1)). */
    private int firstStrip(int part) {
        return part * strips(model.dim()) / columnParts;
    }

    private void foldPart(int part) {
        int dim = model.dim();
        int classes = model.classes();
        for (int strip = firstStrip(part); strip < firstStrip(part + 1); strip++) {
            int d0 = strip * COLUMN_STRIP;
            kernels.foldColumns(model.weights(), classes, dim, data.scale(), data.shift(), wFolded, shiftParts,
                    strip * classes, d0, Math.min(dim, d0 + COLUMN_STRIP));
        }
    }

    /**
     * The first sample of part p: parts are whole forward tiles ({@value #PART_ALIGN} samples) but the last,
     * so that only the batch's own remainder takes the forward kernel's edge path.
     */
    private int partStart(int part) {
        if (part >= sampleParts) {
            return n;
        }
        int tiles = (n + PART_ALIGN - 1) / PART_ALIGN;
        return Math.min(n, part * tiles / sampleParts * PART_ALIGN);
    }

    private void samplePart(int part) {
        int classes = model.classes();
        int j0 = partStart(part);
        int m = partStart(part + 1) - j0;
        float[] sp = s[part];
        float[] gp = g[part];
        int[] lp = partLabels[part];
        System.arraycopy(labels, j0, lp, 0, m);
        kernels.forwardScores(wFolded, bFolded, classes, model.dim(), pixels, rows, rowStart + j0, m, sp, 0, m);
        LossAccumulator acc = accumulators[part];
        acc.reset();
        loss.lossAndGradient(sp, classes, m, lp, gp, 1f / n, null, 0, acc);
        float[] sums = gSumParts[part];
        for (int k = 0; k < classes; k++) {
            float sum = 0f;
            for (int j = 0; j < m; j++) {
                sum += gp[k * m + j];
            }
            sums[k] = sum;
        }
        if (!lastPartInUpdate || part < sampleParts - 1) {
            kernels.gradientPart(gp, classes, m, 0, m, pixels, model.dim(), rows, rowStart + j0, gradients[part], 0,
                    model.dim());
        }
    }

    private void updatePart(int part) {
        int dim = model.dim();
        int classes = model.classes();
        if (!lastPartInUpdate) {
            int d0 = Math.min(dim, firstStrip(part) * COLUMN_STRIP);
            int d1 = Math.min(dim, firstStrip(part + 1) * COLUMN_STRIP);
            kernels.stepFromParts(gradients, sampleParts, gSum, classes, dim, data.scale(), data.shift(),
                    model.weights(), twoLambda, -eta, wFolded, shiftParts, COLUMN_STRIP, d0, d1);
            return;
        }
        // One thread: the last part's gradient strip by strip, each used while it is still in L1.
        int last = sampleParts - 1;
        int j0 = partStart(last);
        int m = n - j0;
        for (int strip = firstStrip(part); strip < firstStrip(part + 1); strip++) {
            int d0 = strip * COLUMN_STRIP;
            int d1 = Math.min(dim, d0 + COLUMN_STRIP);
            kernels.gradientPart(g[last], classes, m, 0, m, pixels, dim, rows, rowStart + j0, gradients[last], d0, d1);
            kernels.stepFromParts(gradients, sampleParts, gSum, classes, dim, data.scale(), data.shift(),
                    model.weights(), twoLambda, -eta, wFolded, shiftParts, COLUMN_STRIP, d0, d1);
        }
    }
}
