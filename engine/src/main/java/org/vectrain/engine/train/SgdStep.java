package org.vectrain.engine.train;

import java.util.function.IntConsumer;
import org.vectrain.engine.model.DataSet;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.SpinBarrier;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.simd.Kernels;
import org.vectrain.engine.simd.LossAccumulator;
import org.vectrain.engine.simd.LossKernel;
import org.vectrain.engine.simd.VectorTranslation;

/**
 * Mini-batch gradient descent steps, each two parallel phases and two barriers, with nothing run by one
 * thread while the others wait:
 * <ol>
 *   <li>forward, threads split the batch's samples: each reads its images once, computing their scores
 *       {@code S = W' Q + b'} (K x n) on the folded parameters while copying the pixels into a
 *       strip-major packed batch ({@link Kernels#packAndForward}, flips applied there); with translations
 *       ({@link ImageTranslation}) each thread first copies its samples, flipped and moved, into a batch
 *       buffer, which the forward pass then reads in place of the set;
 *   <li>every thread runs the loss on the whole S, each its own identical copy (cheaper than one thread
 *       running it while the others wait): {@code G = (P - Y) / n} (K x n), {@code gSum = G 1}, and the
 *       bias step {@code b -= eta gSum};
 *   <li>update, threads split the columns of W into {@link #PARTS} parts of whole strips: each updates
 *       its columns from the packed batch, {@code W -= eta (G X + 2 lambda W)}, and refolds them
 *       ({@code W' = W diag(a)}, and the part's share {@code W_p c_p} of {@code b' = b + W c}) for the
 *       next step's forward pass ({@link Kernels#gradientPacked}).
 * </ol>
 * A sample's score and a column of W are computed by the same code whatever thread computes them, and
 * the parts' shares of b' are added in part order, so the results are the same bits for any thread
 * count. Buffers are sized for the largest batch once; a step allocates nothing.
 */
public final class SgdStep {
    /**
     * Column parts of the update, whatever the thread count: up to this many threads share it. The fold
     * of b' is summed per part, so the number is fixed for the results not to depend on the threads.
     */
    public static final int PARTS = 2;
    /** Samples per forward register tile: threads split the batch at multiples of it. */
    static final int SAMPLE_ALIGN = 4;

    private final Kernels kernels;
    private final WorkerPool pool;
    private final LossKernel loss;
    private final int classes;
    private final int dim;
    private final int maxBatch;
    private final int strips;
    /** The batch's pixels, strip-major ({@link Kernels#pack}). */
    private final byte[] packed;
    /** W diag(a) of the current W, kept in step column by column as the owners update W. */
    private final float[] wFolded;
    /** The parts' shares of {@code W c}, written by their owners in the update. */
    private final float[][] shift;
    /** The step's scores, K x n: each thread writes the columns of its samples. */
    private final float[] scores;
    private final Lane[] lanes;
    private final IntConsumer body = this::passPart;

    // The pass being run, read by its threads.
    private SoftmaxModel model;
    private DataSet data;
    private int[] rows;
    private int rowStart;
    private int count;
    private int batchSize;
    private float eta;
    private float twoLambda;
    private boolean[] flipped;
    private byte[] moves;
    /** With translations: the batch's moved images, n x D, and the row indices 0..n-1 into them; made on first use. */
    private byte[] movedPixels;
    private int[] movedRows;
    /** Move with the Vector API when the kernels use it (the module is then present), else the scalar twin. */
    private final boolean vectorMoves;
    /** Meets the pass's threads twice per step; replaced only after a pass failed and broke it. */
    private SpinBarrier barrier;

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
        this.scores = new float[classes * maxBatch];
        int laneCount = Math.min(pool.threads(), PARTS);
        this.lanes = new Lane[laneCount];
        for (int t = 0; t < laneCount; t++) {
            lanes[t] = new Lane(classes, maxBatch);
        }
        this.barrier = new SpinBarrier(laneCount);
        this.vectorMoves = kernels.lanes() > 1;
    }

    /** One thread's own copy of what every thread computes: b', G, its row sums, the bias. */
    private static final class Lane {
        final float[] g;
        final float[] gSum;
        final float[] bias;
        final float[] bFolded;
        final int[] labels;
        final LossAccumulator acc = new LossAccumulator();
        double lossSum;

        Lane(int classes, int maxBatch) {
            g = new float[classes * maxBatch];
            gSum = new float[classes];
            bias = new float[classes];
            bFolded = new float[classes];
            labels = new int[maxBatch];
        }
    }

    /**
     * One step on samples {@code rows[rowStart .. rowStart + n)} of {@code set}. Updates the model in
     * place and returns the batch's summed loss before the update (from the forward pass).
     */
    public double step(SoftmaxModel model, DataSet set, int[] rows, int rowStart, int n, double eta, double lambda) {
        return pass(model, set, rows, rowStart, n, n, eta, lambda, null, null);
    }

    /**
     * As {@link #step(SoftmaxModel, DataSet, int[], int, int, double, double)}, with sample i of the set
     * mirrored left-right when {@code flipped[i]} (indexed by sample, not by batch position).
     */
    public double step(SoftmaxModel model, DataSet set, int[] rows, int rowStart, int n, double eta, double lambda,
            boolean[] flipped) {
        return pass(model, set, rows, rowStart, n, n, eta, lambda, flipped, null);
    }

    /**
     * As {@link #step(SoftmaxModel, DataSet, int[], int, int, double, double, boolean[])}, with sample i
     * also moved by {@code (moves[2i], moves[2i + 1])} pixels (see {@link ImageTranslation}) when
     * {@code moves} is not null.
     */
    public double step(SoftmaxModel model, DataSet set, int[] rows, int rowStart, int n, double eta, double lambda,
            boolean[] flipped, byte[] moves) {
        return pass(model, set, rows, rowStart, n, n, eta, lambda, flipped, moves);
    }

    /**
     * Steps over {@code rows[rowStart .. rowStart + count)} in batches of {@code batchSize} (the last one
     * shorter when it does not divide), each exactly as {@link #step}, in one fork of the pool. Returns the
     * summed loss of all batches, each before its update.
     *
     * <p>Why the trainer does not use it for whole epochs: on this project's shared 2-core machine a
     * fork per step measured faster and steadier than one fork per epoch (median training pass 17.9
     * against 29.4 ms, 5 runs each, with the second core mostly taken by other work); the threads then
     * meet in the pool between steps instead of spinning at a barrier through the whole epoch.
     */
    double pass(SoftmaxModel model, DataSet set, int[] rows, int rowStart, int count, int batchSize,
            double eta, double lambda, boolean[] flipped, byte[] moves) {
        if ((flipped != null || moves != null) && set.dim() != HorizontalFlip.IMAGE) {
            throw new IllegalArgumentException("flips and translations need CIFAR images of " + HorizontalFlip.IMAGE
                    + " pixels, the set has " + set.dim());
        }
        if (model.classes() != classes || model.dim() != dim || set.dim() != dim || batchSize > maxBatch
                || batchSize < 1 || count < 1) {
            throw new IllegalArgumentException("a pass of " + count + " samples in batches of " + batchSize
                    + " for " + model.classes() + " x " + model.dim() + " on data of dimension " + set.dim()
                    + ", sized for " + classes + " x " + dim + " and batches of " + maxBatch);
        }
        this.model = model;
        this.data = set;
        this.rows = rows;
        this.rowStart = rowStart;
        this.count = count;
        this.batchSize = batchSize;
        this.eta = (float) eta;
        this.twoLambda = (float) (2 * lambda);
        this.flipped = flipped;
        this.moves = moves;
        if (moves != null && movedPixels == null) {
            movedPixels = new byte[maxBatch * dim];
            movedRows = new int[maxBatch];
            for (int j = 0; j < maxBatch; j++) {
                movedRows[j] = j;
            }
        }
        try {
            pool.run(lanes.length, body);
        } catch (RuntimeException | Error e) {
            barrier = new SpinBarrier(lanes.length);
            throw e;
        } finally {
            this.model = null;
            this.data = null;
            this.rows = null;
            this.flipped = null;
            this.moves = null;
        }
        return lanes[0].lossSum;
    }

    private void passPart(int thread) {
        try {
            runPass(thread);
        } catch (RuntimeException | Error e) {
            barrier.breakBarrier();
            throw e;
        }
    }

    private void runPass(int thread) {
        int threads = lanes.length;
        int partFrom = thread * PARTS / threads;
        int partTo = (thread + 1) * PARTS / threads;
        Lane lane = lanes[thread];
        float[] w = model.weights();
        float[] a = data.scale();
        float[] c = data.shift();
        byte[] pixels = data.pixels();
        int[] setLabels = data.labels();
        System.arraycopy(model.bias(), 0, lane.bias, 0, classes);
        lane.lossSum = 0;
        for (int p = partFrom; p < partTo; p++) {
            kernels.foldStrips(w, classes, dim, a, c, wFolded, shift[p], stripFrom(p), stripTo(p));
        }
        int batches = (count + batchSize - 1) / batchSize;
        for (int i = 0; i < batches; i++) {
            int from = rowStart + i * batchSize;
            int n = Math.min(batchSize, rowStart + count - from);
            // past this barrier every column of W' and every share of W c is up to date
            barrier.await();
            for (int k = 0; k < classes; k++) {
                float sum = lane.bias[k];
                for (int p = 0; p < PARTS; p++) {
                    sum += shift[p][k];
                }
                lane.bFolded[k] = sum;
            }
            int jFrom = sampleBound(thread, n);
            int jTo = sampleBound(thread + 1, n);
            if (moves == null) {
                kernels.packAndForward(pixels, rows, from, n, jFrom, jTo, flipped, wFolded, lane.bFolded, classes,
                        dim, packed, scores);
            } else {
                moveImages(pixels, from, jFrom, jTo);
                kernels.packAndForward(movedPixels, movedRows, 0, n, jFrom, jTo, null, wFolded, lane.bFolded, classes,
                        dim, packed, scores);
            }
            barrier.await();
            lossAndGradient(lane, setLabels, from, n);
            for (int p = partFrom; p < partTo; p++) {
                kernels.gradientPacked(lane.g, lane.gSum, classes, n, packed, dim, a, c, w, twoLambda, eta, wFolded,
                        shift[p], stripFrom(p), stripTo(p));
            }
        }
        if (thread == 0) {
            System.arraycopy(lane.bias, 0, model.bias(), 0, classes);
        }
    }

    /** Copies samples [jFrom, jTo) of the batch from {@code from}, flipped and moved as drawn, into the batch buffer. */
    private void moveImages(byte[] pixels, int from, int jFrom, int jTo) {
        for (int j = jFrom; j < jTo; j++) {
            int i = rows[from + j];
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

    /** Where the forward share of thread t of the batch's n samples starts: a multiple of the tile. */
    private int sampleBound(int thread, int n) {
        if (thread >= lanes.length) {
            return n;
        }
        int tiles = (n + SAMPLE_ALIGN - 1) / SAMPLE_ALIGN;
        return Math.min(n, tiles * thread / lanes.length * SAMPLE_ALIGN);
    }

    /** The loss and {@code G} of the whole batch, its row sums, and the bias step, into this thread's lane. */
    private void lossAndGradient(Lane lane, int[] setLabels, int from, int n) {
        for (int j = 0; j < n; j++) {
            lane.labels[j] = setLabels[rows[from + j]];
        }
        lane.acc.reset();
        loss.lossAndGradient(scores, classes, n, lane.labels, lane.g, 1f / n, null, 0, lane.acc);
        lane.lossSum += lane.acc.lossSum();
        for (int k = 0; k < classes; k++) {
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                sum += lane.g[k * n + j];
            }
            lane.gSum[k] = sum;
            lane.bias[k] -= eta * sum;
        }
    }

    private int stripFrom(int part) {
        return part * strips / PARTS;
    }

    private int stripTo(int part) {
        return (part + 1) * strips / PARTS;
    }
}
