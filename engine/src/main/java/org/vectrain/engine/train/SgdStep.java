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
 * One mini-batch gradient descent step, in three phases over a batch of n samples:
 * <ol>
 *   <li>forward, parts of the batch's samples: each part reads its images once, computing their scores
 *       {@code S = W' Q + b'} (K x n) on the folded parameters while copying the pixels into a
 *       strip-major packed batch ({@link Kernels#packAndForward}, flips applied there; with
 *       translations ({@link ImageTranslation}) the part first copies its images, flipped and moved,
 *       into a batch buffer that the forward pass reads in place of the set);
 *   <li>on the calling thread: {@code G = (P - Y) / n} (K x n), {@code gSum = G 1}, and the bias step
 *       {@code b -= eta gSum};
 *   <li>update, the columns of W in {@link #PARTS} parts of whole strips: each part updates its columns
 *       from the packed batch, {@code W -= eta (G X + 2 lambda W)}, and refolds them
 *       ({@code W' = W diag(a)}, and its share {@code W_p c_p} of {@code b' = b + W c}) for the next
 *       step ({@link Kernels#gradientPacked}), so the fold costs nothing per step.
 * </ol>
 * Parts are claimed by whichever thread of the pool is free, so a worker that a busy machine
 * deschedules costs its share of the time, not a wait at a barrier. A sample's score and a column of W
 * are computed by the same code whatever thread computes them, and the parts' shares of b' are added in
 * part order, so the results are the same bits for any thread count.
 *
 * <p>W' is kept from step to step: between two steps on the same model and set, W and b must change
 * only through this step (a different model, weights array or set is noticed, and folded afresh).
 * Buffers are sized for the largest batch once; a step allocates nothing.
 */
public final class SgdStep {
    /**
     * Column parts of the update, whatever the thread count. The fold of b' is summed per part, so the
     * number is fixed for the results not to depend on the threads.
     */
    public static final int PARTS = 4;
    /** Samples per forward register tile: the batch is cut into parts at multiples of it. */
    static final int SAMPLE_ALIGN = 4;
    /** Forward parts per thread, so that the parts of a late worker are taken by the others. */
    static final int FORWARD_PARTS_PER_THREAD = 2;

    private final Kernels kernels;
    private final WorkerPool pool;
    private final LossKernel loss;
    private final int classes;
    private final int dim;
    private final int maxBatch;
    private final int strips;
    /** The batch's pixels, strip-major ({@link Kernels#pack}). */
    private final byte[] packed;
    /** W diag(a) of the current W, kept in step column by column as the parts update W. */
    private final float[] wFolded;
    /** The parts' shares of {@code W c}, written by the parts of the update. */
    private final float[][] shift;
    private final float[] bFolded;
    /** The step's scores, K x n: each forward part writes the columns of its samples. */
    private final float[] scores;
    private final float[] g;
    private final float[] gSum;
    private final int[] labels;
    private final LossAccumulator acc = new LossAccumulator();
    /** Move with the Vector API when the kernels use it (the module is then present), else the scalar twin. */
    private final boolean vectorMoves;
    /** The phases, bound once: a method reference made per step would allocate per step. */
    private final IntConsumer fold = this::foldPart;
    private final IntConsumer forward = this::forwardPart;
    private final IntConsumer update = this::updatePart;

    /** What {@link #wFolded} and {@link #shift} were folded from; another model or set is folded afresh. */
    private float[] foldedWeights;
    private float[] foldedScale;
    private float[] foldedShift;

    /** With translations: the batch's moved images, n x D, and the row indices 0..n-1 into them; made on first use. */
    private byte[] movedPixels;
    private int[] movedRows;

    // The step being run, read by its parts.
    private SoftmaxModel model;
    private DataSet data;
    private int[] rows;
    private int rowStart;
    private int n;
    private int forwardParts;
    private float eta;
    private float twoLambda;
    private boolean[] flipped;
    private byte[] moves;

    /** Buffers for models of {@code classes} x {@code dim} and batches of up to {@code maxBatch}. */
    public SgdStep(Kernels kernels, WorkerPool pool, int classes, int dim, int maxBatch) {
        this(kernels, pool, classes, dim, maxBatch, kernels::softmaxCrossEntropy);
    }

    /** As the softmax step, with {@code loss} giving G from the scores. */
    public SgdStep(Kernels kernels, WorkerPool pool, int classes, int dim, int maxBatch, LossKernel loss) {
        this.kernels = kernels;
        this.pool = pool;
        this.loss = loss;
        this.classes = classes;
        this.dim = dim;
        this.maxBatch = maxBatch;
        this.strips = Kernels.strips(dim);
        this.packed = new byte[strips * maxBatch * Kernels.STRIP];
        this.wFolded = new float[classes * dim];
        this.shift = new float[PARTS][classes];
        this.bFolded = new float[classes];
        this.scores = new float[classes * maxBatch];
        this.g = new float[classes * maxBatch];
        this.gSum = new float[classes];
        this.labels = new int[maxBatch];
        this.vectorMoves = kernels.lanes() > 1;
    }

    /**
     * One step on samples {@code rows[rowStart .. rowStart + n)} of {@code set}. Updates the model in
     * place and returns the batch's summed loss before the update (from the forward pass).
     */
    public double step(SoftmaxModel model, DataSet set, int[] rows, int rowStart, int n, double eta, double lambda) {
        return step(model, set, rows, rowStart, n, eta, lambda, null, null);
    }

    /**
     * As {@link #step(SoftmaxModel, DataSet, int[], int, int, double, double)}, with sample i of the set
     * mirrored left-right when {@code flipped[i]} (indexed by sample, not by batch position).
     */
    public double step(SoftmaxModel model, DataSet set, int[] rows, int rowStart, int n, double eta, double lambda,
            boolean[] flipped) {
        return step(model, set, rows, rowStart, n, eta, lambda, flipped, null);
    }

    /**
     * As {@link #step(SoftmaxModel, DataSet, int[], int, int, double, double, boolean[])}, with sample i
     * also moved by {@code (moves[2i], moves[2i + 1])} pixels (see {@link ImageTranslation}) when
     * {@code moves} is not null.
     */
    public double step(SoftmaxModel model, DataSet set, int[] rows, int rowStart, int n, double eta, double lambda,
            boolean[] flipped, byte[] moves) {
        if ((flipped != null || moves != null) && set.dim() != HorizontalFlip.IMAGE) {
            throw new IllegalArgumentException("flips and translations need CIFAR images of " + HorizontalFlip.IMAGE
                    + " pixels, the set has " + set.dim());
        }
        if (model.classes() != classes || model.dim() != dim || set.dim() != dim || n > maxBatch || n < 1) {
            throw new IllegalArgumentException("a step of " + n + " samples for " + model.classes() + " x "
                    + model.dim() + " on data of dimension " + set.dim() + ", sized for " + classes + " x " + dim
                    + " and batches of " + maxBatch);
        }
        if (moves != null && movedPixels == null) {
            movedPixels = new byte[maxBatch * dim];
            movedRows = new int[maxBatch];
            for (int j = 0; j < maxBatch; j++) {
                movedRows[j] = j;
            }
        }
        this.model = model;
        this.data = set;
        this.rows = rows;
        this.rowStart = rowStart;
        this.n = n;
        this.eta = (float) eta;
        this.twoLambda = (float) (2 * lambda);
        this.flipped = flipped;
        this.moves = moves;
        try {
            if (model.weights() != foldedWeights || set.scale() != foldedScale || set.shift() != foldedShift) {
                foldedWeights = null;
                pool.run(PARTS, fold);
                foldedWeights = model.weights();
                foldedScale = set.scale();
                foldedShift = set.shift();
            }
            float[] b = model.bias();
            for (int k = 0; k < classes; k++) {
                float sum = b[k];
                for (int p = 0; p < PARTS; p++) {
                    sum += shift[p][k];
                }
                bFolded[k] = sum;
            }
            int tiles = (n + SAMPLE_ALIGN - 1) / SAMPLE_ALIGN;
            forwardParts = Math.max(1, Math.min(tiles, pool.threads() * FORWARD_PARTS_PER_THREAD));
            pool.run(forwardParts, forward);
            double lossSum = lossAndGradient(set.labels(), b);
            pool.run(PARTS, update);
            return lossSum;
        } catch (RuntimeException | Error e) {
            // a step that failed part way leaves W and W' out of step: fold afresh next time
            foldedWeights = null;
            throw e;
        } finally {
            this.model = null;
            this.data = null;
            this.rows = null;
            this.flipped = null;
            this.moves = null;
        }
    }

    private void foldPart(int part) {
        kernels.foldStrips(model.weights(), classes, dim, data.scale(), data.shift(), wFolded, shift[part],
                stripFrom(part), stripTo(part));
    }

    private void forwardPart(int part) {
        int tiles = (n + SAMPLE_ALIGN - 1) / SAMPLE_ALIGN;
        int jFrom = Math.min(n, tiles * part / forwardParts * SAMPLE_ALIGN);
        int jTo = Math.min(n, tiles * (part + 1) / forwardParts * SAMPLE_ALIGN);
        if (moves == null) {
            kernels.packAndForward(data.pixels(), rows, rowStart, n, jFrom, jTo, flipped, wFolded, bFolded, classes,
                    dim, packed, scores);
        } else {
            moveImages(data.pixels(), jFrom, jTo);
            kernels.packAndForward(movedPixels, movedRows, 0, n, jFrom, jTo, null, wFolded, bFolded, classes, dim,
                    packed, scores);
        }
    }

    /** Copies samples [jFrom, jTo) of the batch, flipped and moved as drawn, into the batch buffer. */
    private void moveImages(byte[] pixels, int jFrom, int jTo) {
        for (int j = jFrom; j < jTo; j++) {
            int i = rows[rowStart + j];
            boolean flip = flipped != null && flipped[i];
            if (vectorMoves) {
                VectorTranslation.translateInto(pixels, i * dim, movedPixels, j * dim, flip, moves[2 * i],
                        moves[2 * i + 1]);
            } else {
                ImageTranslation.translateInto(pixels, i * dim, movedPixels, j * dim, flip, moves[2 * i],
                        moves[2 * i + 1]);
            }
        }
    }

    /** The loss and {@code G} of the batch, its row sums, and the bias step; returns the summed loss. */
    private double lossAndGradient(int[] setLabels, float[] b) {
        for (int j = 0; j < n; j++) {
            labels[j] = setLabels[rows[rowStart + j]];
        }
        acc.reset();
        loss.lossAndGradient(scores, classes, n, labels, g, 1f / n, null, 0, acc);
        for (int k = 0; k < classes; k++) {
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                sum += g[k * n + j];
            }
            gSum[k] = sum;
            b[k] -= eta * sum;
        }
        return acc.lossSum();
    }

    private void updatePart(int part) {
        kernels.gradientPacked(g, gSum, classes, n, packed, dim, data.scale(), data.shift(), model.weights(),
                twoLambda, eta, wFolded, shift[part], stripFrom(part), stripTo(part));
    }

    private int stripFrom(int part) {
        return part * strips / PARTS;
    }

    private int stripTo(int part) {
        return (part + 1) * strips / PARTS;
    }
}
