package org.vectrain.engine.train;

import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.kernels.Affine;
import org.vectrain.engine.kernels.DenseLayer;
import org.vectrain.engine.kernels.LossAccumulator;
import org.vectrain.engine.kernels.LossKernel;
import org.vectrain.engine.kernels.RowSource;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.layout.AlignedFloats;
import org.vectrain.engine.model.TwoLayerModel;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * One mini-batch SGD step of the two-layer network (shapes and kernels in {@link TwoLayerKernels}):
 * <ol>
 *   <li>the batch packed as normalised features (flipped or moved batches are copied out first,
 *       {@link AugmentedBatch}): a batch of up to {@link #PRIVATE_PACK_FLOATS} packed floats by every part whole,
 *       into a copy of its own; a larger one by the parts together, each its share of the samples;
 *   <li>per part, its hidden units (in the same hand-over as its packing when the copy is its own): their rows of
 *       W1 copied into the step's copy, which starts on a cache line as the packed batch does
 *       ({@link AlignedFloats}), then {@code H = max(0, W1 X + b1)}, with dropout then each value kept and scaled
 *       by {@code 1 / (1 - rate)} or set to 0 ({@link Dropout});
 *   <li>on the caller: {@code S = W2 H + b2}, the loss and {@code G = (P - Y) / n};
 *   <li>per part, its units: {@code G1 = (W2^T G) * [H > 0]}, with dropout scaled by {@code 1 / (1 - rate)} (the
 *       dropped values are 0 in H, so the mask is already in {@code [H > 0]}); then their columns of W2 step (each
 *       part reads and writes only its own), b2 with the first part's; then {@code dW1 = G1 X^T + 2 lambda W1}, W1
 *       and b1 stepped from the registers.
 * </ol>
 * The parts split the hidden units (and, for packing, the samples) in whole tiles; a unit's arithmetic does not
 * depend on which part computes it, so the bits do not depend on the thread count. A step allocates nothing but
 * the row source of a new set or row order.
 */
public final class TwoLayerStep {
    /** Units per part are a multiple of this, the widest unit tile of the kernels: their tiles stay whole. */
    private static final int UNIT_GRAIN = 8;
    /**
     * Up to this many packed floats (2 MB, about a core's L2: 168 samples at D = 3072), every part packs the whole
     * batch into a copy of its own, and each core then reads only lines it wrote. With one shared copy, each core
     * would read the samples the other packed, and the next step's packing would write over lines the other core
     * still holds: those transfers between cores cost more than packing twice. A larger batch has left the cores'
     * caches by the next step, and is packed once, shared.
     */
    static final int PRIVATE_PACK_FLOATS = 1 << 19;

    private final TwoLayerKernels kernels;
    private final LossKernel loss;
    private final WorkerPool pool;
    private final int classes;
    private final int dim;
    private final int hidden;
    private final int maxBatch;
    private final int parts;
    /** The packed batch: one copy per part, or one shared (see {@link #PRIVATE_PACK_FLOATS}). */
    private final AlignedFloats[] packed;
    /** The rows of W1 each part reads in the forward product, copied from the model's on a cache line. */
    private final AlignedFloats alignedW1;
    private final float[] h;
    private final float[] s;
    private final float[] g;
    private final float[] g1;
    private final float[] g1Sum;
    private final int[] labels;
    private final boolean vectorFlip;
    private final Dropout dropout;
    private final SplittableRandom dropoutSeeds;
    private final LossAccumulator accumulator = new LossAccumulator();
    private final IntConsumer pack = this::packPart;
    private final IntConsumer forward = this::forwardPart;
    private final IntConsumer packAndForward = this::packAndForwardPart;
    private final IntConsumer backward = this::backwardPart;
    private AugmentedBatch augmented;
    private RowSource source;
    private Affine affine;

    /** The layers of the model last stepped, as the kernels take them; made when the model's arrays change. */
    private DenseLayer first;
    /** The model's first layer with W1 read from {@link #alignedW1}. */
    private DenseLayer alignedFirst;
    private DenseLayer second;
    // the batch being stepped, read by the parts while step() runs them
    private int rowStart;
    private int n;
    private float twoLambda;
    private float scale;
    private float[] gradientOut;
    private float[] secondGradient;
    private long dropoutSeed;

    /**
     * Buffers for networks of {@code classes} x {@code hidden} x {@code dim} and batches of up to
     * {@code maxBatch}, G from the scores by {@code loss}.
     */
    public TwoLayerStep(TwoLayerKernels kernels, LossKernel loss, WorkerPool pool, int classes, int dim, int hidden,
            int maxBatch) {
        this(kernels, loss, pool, classes, dim, hidden, maxBatch, Dropout.NONE, null);
    }

    /**
     * As {@link #TwoLayerStep(TwoLayerKernels, LossKernel, WorkerPool, int, int, int, int)}, with {@code dropout} on
     * the hidden layer, each step's mask seed the next of {@code dropoutSeeds} (unused without dropout).
     */
    public TwoLayerStep(TwoLayerKernels kernels, LossKernel loss, WorkerPool pool, int classes, int dim, int hidden,
            int maxBatch, Dropout dropout, SplittableRandom dropoutSeeds) {
        this.dropout = dropout;
        this.dropoutSeeds = dropoutSeeds;
        this.kernels = kernels;
        this.loss = loss;
        this.pool = pool;
        this.classes = classes;
        this.dim = dim;
        this.hidden = hidden;
        this.maxBatch = maxBatch;
        this.parts = Math.max(1, Math.min(pool.threads(), (hidden + UNIT_GRAIN - 1) / UNIT_GRAIN));
        int packedFloats = TwoLayerKernels.packedLength(maxBatch, dim);
        this.packed = new AlignedFloats[packedFloats <= PRIVATE_PACK_FLOATS ? parts : 1];
        for (int copy = 0; copy < packed.length; copy++) {
            packed[copy] = AlignedFloats.allocate(packedFloats);
        }
        this.alignedW1 = AlignedFloats.allocate(hidden * TwoLayerKernels.weightStride(dim));
        this.h = new float[hidden * maxBatch];
        this.s = new float[classes * maxBatch];
        this.g = new float[classes * maxBatch];
        this.g1 = new float[hidden * maxBatch];
        this.g1Sum = new float[hidden];
        this.labels = new int[maxBatch];
        this.vectorFlip = kernels.lanes() >= 8;
    }

    /**
     * One step on samples {@code rows[rowStart .. rowStart + n)} of {@code set}, sample i flipped when
     * {@code flipped[i]} and moved by {@code (moves[2i], moves[2i + 1])} (both may be null). Updates the model in
     * place and returns the batch's summed loss before the update.
     */
    public double step(TwoLayerModel model, DataSet set, int[] rows, int rowStart, int n, double eta, double lambda,
            boolean[] flipped, byte[] moves) {
        run(model, set, rows, rowStart, n, lambda, (float) -eta, flipped, moves, null);
        return accumulator.lossSum();
    }

    /**
     * The gradients of the cost on samples {@code rows[rowStart .. rowStart + n)} of {@code set}, the model left as
     * it is: {@code [dW1 (m x stride), db1 (m), dW2 (K x m), db2 (K)]}. Returns the batch's mean loss. For the
     * gradient check.
     */
    public double gradients(TwoLayerModel model, DataSet set, int[] rows, int rowStart, int n, double lambda,
            float[][] out) {
        float[] first = new float[hidden * model.stride() + hidden];
        float[] second = new float[classes * hidden + classes];
        gradientOut = first;
        run(model, set, rows, rowStart, n, lambda, 0f, null, null, second);
        out[0] = java.util.Arrays.copyOf(first, hidden * model.stride());
        out[1] = java.util.Arrays.copyOfRange(first, hidden * model.stride(), first.length);
        out[2] = java.util.Arrays.copyOf(second, classes * hidden);
        out[3] = java.util.Arrays.copyOfRange(second, classes * hidden, second.length);
        return accumulator.lossSum() / n;
    }

    private void run(TwoLayerModel model, DataSet set, int[] rows, int rowStart, int n, double lambda, float scale,
            boolean[] flipped, byte[] moves, float[] secondGradient) {
        if (model.classes() != classes || model.dim() != dim || model.hidden() != hidden) {
            throw new IllegalArgumentException("a network of " + model.classes() + " x " + model.hidden() + " x "
                    + model.dim() + " for a step made for " + classes + " x " + hidden + " x " + dim);
        }
        if (n < 1 || n > maxBatch) {
            throw new IllegalArgumentException("batch of " + n + " for a step made for up to " + maxBatch);
        }
        int[] setLabels = set.labels();
        for (int j = 0; j < n; j++) {
            labels[j] = setLabels[rows[rowStart + j]];
        }
        if (flipped == null && moves == null) {
            bindSource(set.pixels(), set.dim(), rows);
            this.rowStart = rowStart;
        } else {
            if (augmented == null) {
                augmented = new AugmentedBatch(maxBatch, vectorFlip);
            }
            augmented.gather(set, rows, rowStart, n, flipped, moves);
            bindSource(augmented.pixels(), set.dim(), augmented.rows());
            this.rowStart = 0;
        }
        if (affine == null || affine.scale() != set.scale() || affine.shift() != set.shift()) {
            affine = new Affine(set.scale(), set.shift());
        }
        this.n = n;
        if (first == null || first.w() != model.w1() || first.b() != model.b1()) {
            first = new DenseLayer(model.w1(), model.b1(), hidden, model.stride());
            alignedFirst = new DenseLayer(alignedW1.array(), model.b1(), hidden, model.stride(), alignedW1.start());
        }
        if (second == null || second.w() != model.w2() || second.b() != model.b2()) {
            second = new DenseLayer(model.w2(), model.b2(), classes, hidden);
        }
        this.twoLambda = (float) (2 * lambda);
        this.scale = scale;
        if (dropout.active()) {
            dropoutSeed = dropoutSeeds.nextLong();
        }
        try {
            if (packed.length > 1) {
                pool.runPinned(parts, packAndForward);
            } else {
                pool.runPinned(parts, pack);
                pool.runPinned(parts, forward);
            }
            kernels.outputScores(h, n, second, s);
            accumulator.reset();
            loss.lossAndGradient(s, classes, n, labels, g, 1f / n, null, 0, accumulator);
            this.secondGradient = secondGradient;
            pool.runPinned(parts, backward);
        } finally {
            this.gradientOut = null;
            this.secondGradient = null;
        }
    }

    /** Makes the row source for {@code pixels} in the order of {@code rows} when either changed. */
    private void bindSource(byte[] pixels, int rowLength, int[] rows) {
        if (source == null || source.pixels() != pixels || source.rows() != rows) {
            source = RowSource.whole(pixels, rowLength, rows);
        }
    }

    private int firstUnit(int part) {
        int grains = (hidden + UNIT_GRAIN - 1) / UNIT_GRAIN;
        return Math.min(hidden, part * grains / parts * UNIT_GRAIN);
    }

    /** The packed batch part {@code part} reads: its own copy, or the shared one. */
    private AlignedFloats packedOf(int part) {
        return packed[packed.length > 1 ? part : 0];
    }

    private void packPart(int part) {
        if (packed.length > 1) {
            kernels.pack(source, rowStart, n, 0, n, affine, dim, packed[part]);
        } else {
            kernels.pack(source, rowStart, n, part * n / parts, (part + 1) * n / parts, affine, dim, packed[0]);
        }
    }

    private void packAndForwardPart(int part) {
        packPart(part);
        forwardPart(part);
    }

    private void forwardPart(int part) {
        int from = firstUnit(part);
        int to = firstUnit(part + 1);
        int stride = first.cols();
        System.arraycopy(first.w(), from * stride, alignedW1.array(), alignedW1.start() + from * stride,
                (to - from) * stride);
        kernels.hiddenForward(packedOf(part), n, alignedFirst, from, to, h);
        if (dropout.active()) {
            float kept = dropout.keptScale();
            for (int i = from; i < to; i++) {
                for (int j = 0; j < n; j++) {
                    h[i * n + j] = dropout.kept(dropoutSeed, i, j) ? h[i * n + j] * kept : 0f;
                }
            }
        }
    }

    /**
     * G1 of the part's units, their columns of W2 stepped, then their dW1 step: each reads and writes only the
     * part's rows of G1 and W1 and columns of W2.
     */
    private void backwardPart(int part) {
        hiddenGradientPart(part);
        kernels.outputStep(g, n, h, second, twoLambda, scale, firstUnit(part), firstUnit(part + 1), secondGradient);
        hiddenStepPart(part);
    }

    private void hiddenGradientPart(int part) {
        int from = firstUnit(part);
        int to = firstUnit(part + 1);
        kernels.hiddenGradient(g, n, second, h, from, to, g1, g1Sum);
        if (dropout.active()) {
            float kept = dropout.keptScale();
            for (int i = from; i < to; i++) {
                for (int j = 0; j < n; j++) {
                    g1[i * n + j] *= kept;
                }
                g1Sum[i] *= kept;
            }
        }
    }

    private void hiddenStepPart(int part) {
        kernels.hiddenStep(packedOf(part), n, g1, g1Sum, first, twoLambda, scale, firstUnit(part), firstUnit(part + 1),
                gradientOut);
    }
}
