package org.vectrain.engine.train;

import java.util.function.IntConsumer;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.kernels.Affine;
import org.vectrain.engine.kernels.Columns;
import org.vectrain.engine.kernels.FoldedWeights;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.LossAccumulator;
import org.vectrain.engine.kernels.LossKernel;
import org.vectrain.engine.kernels.QuadSource;
import org.vectrain.engine.kernels.RowSource;
import org.vectrain.engine.kernels.ScoreTile;
import org.vectrain.engine.kernels.StepTarget;
import org.vectrain.engine.kernels.scalar.ImageTranslation;
import org.vectrain.engine.layout.ColumnPlanes;
import org.vectrain.engine.layout.SampleQuads;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * One mini-batch SGD step of the softmax classifier. Shapes: W is K x D, b is K, the batch Q is n x D
 * bytes, normalised per dimension as {@code a q + c}; S, P, Y and G are K x n. The columns of W are split
 * into {@link #COLUMN_PARTS} parts (that many whatever the thread count), each kept by one thread:
 * <ol>
 *   <li>per column part c, its share of the forward product, {@code P_c = W'[:, c] Q[:, c]^T} (K x n);
 *   <li>the caller sums {@code S = (P_0 + P_1) + b'} and runs softmax + cross-entropy,
 *       {@code G = (P - Y) / n} and {@code G 1};
 *   <li>per column part, strip by strip ({@link #COLUMN_STRIP} columns): the gradient {@code A = G Q[:, strip]},
 *       the update {@code W <- W - eta (diag(a) A + c (G 1)^T + 2 lambda W)} and the fold for the next step,
 *       {@code W' = W diag(a)} and the strip's part of {@code W c}; the caller then updates b and folds
 *       {@code b' = b + W c}.
 * </ol>
 * Why: a part's W, W' and gradient stay in the caches of the core that owns them; only the K x n shares of
 * S and G cross cores. Shares are summed in part order and b' in strip order, so the bits do not depend on
 * the thread count. Each part steps its own copy of its columns of W and stores the results into the model,
 * so no core reads cache lines the other writes. Pixels are read from the layout that suits the batch:
 * {@link SampleQuads} for batches in order, {@link ColumnPlanes} when the parts run on two threads, whole
 * rows otherwise; flipped or translated batches ({@link ImageTranslation}, which flips too) are first
 * copied into a per-step buffer. Layouts change where pixels are read, never the arithmetic
 * (docs/performance.md). A step allocates nothing but a new set's layout; a caller that changes W in place
 * between steps must call {@link #forgetFold()}.
 */
public final class SgdStep {
    /**
     * Columns per strip, the unit of the column split, of the gradient (one strip of A, 10 KB at K = 10,
     * is used while it is in L1) and of the fold's partial sums of {@code W c} (so b' is summed in the same
     * order whatever the thread count); 12 strips at D = 3072.
     */
    public static final int COLUMN_STRIP = 256;
    /**
     * Parts of the columns of W, fixed so that the scores are summed in a fixed order. Two, one per core
     * of the machines vectrain targets; a part's W and W' (120 KB at D = 3072) stay in its core's L2.
     */
    public static final int COLUMN_PARTS = 2;
    /** Bytes per cache line, the stride of {@link #touchLines}. */
    private static final int CACHE_LINE = 64;

    private final Kernels kernels;
    private final WorkerPool pool;
    /** Each column part's share of the scores, K x n. */
    private final float[][] partialScores;
    private final float[] s;
    private final float[] g;
    /** G transposed, n x K, as the gradient kernel reads it. */
    private final float[] gT;
    /** Per column part, the gradient of the strip being updated (K x D, a strip of it in use at a time). */
    private final float[][] gradients;
    private final LossAccumulator accumulator = new LossAccumulator();
    /** Whether the column parts run on threads of their own, and so read {@link ColumnPlanes} (but quads). */
    private final boolean readsPlanes;
    /** The planes of the set last stepped on with planes, and that set's pixel array; null before. */
    private ColumnPlanes planes;
    private byte[] planesMadeFrom;
    /** The quads of the set last stepped on in order, and that set's pixel array; null before. */
    private SampleQuads quads;
    private byte[] quadsMadeFrom;
    private final float[] gSum;
    /**
     * W' per column part, each K x D of which the part uses only its own columns: with one array for both,
     * the cache lines where one part's columns meet the other's (two per row) were written by both cores
     * every step, which measured slower (docs/performance.md).
     */
    private final float[][] wFolded;
    /** Per column part, the part's own copy of W (K x D, of which it uses only its columns). */
    private final float[][] weightParts;
    private final float[] bFolded;
    /** The partial shifts {@code W c} of each strip of the current W: {@code shiftParts[strip * K + k]}. */
    private final float[] shiftParts;
    private final int[] labels;
    private final int maxBatch;
    /** Per column part: its W' for the forward kernels (no b': the shares are summed first, then b' added). */
    private final FoldedWeights[] partWeights;
    /** Per column part: where its share of the scores goes, K x n inside K x maxBatch. */
    private final ScoreTile[] partShares;
    /** Per column part: the columns it owns, whole strips. */
    private final Columns[] partColumns;
    /** Per strip of columns: the range the fold, the gradient and the update of that strip cover. */
    private final Columns[] stripColumns;
    /** The normalisation of the set last stepped on, as the kernels take it; made when the set changes. */
    private Affine affine;
    /** Per column part: what its update writes, for the weights of {@link #targetsFor}; made when they change. */
    private final StepTarget[] stepTargets;
    private float[] targetsFor;
    /**
     * Per column part: where it reads the pixels of the batch, for the pixel array (or planes) and row order of
     * {@link #sourcesFor} and {@link #sourceRows}; made when those change, not per step.
     */
    private final RowSource[] rowSources;
    private Object sourcesFor;
    private int[] sourceRows;
    /** Per column part: its plane of {@link #quadSourcesFor}, made when the quads change. */
    private final QuadSource[] quadSources;
    private SampleQuads quadSourcesFor;
    /** What W' and shiftParts were folded from: the weight array and the normalisation; null when stale. */
    private float[] foldedWeights;
    private float[] foldedScale;
    private float[] foldedShift;
    /** The flipped or moved batch and the row indices 0..n-1 into it; made on the first such step. */
    private AugmentedBatch augmented;
    private final LossKernel loss;
    /** Flip and move with the Vector API when the kernels use it (the module is then present), else scalar. */
    private final boolean vectorFlip;
    /** The parallel phases, bound once: a method reference made per step would allocate per step. */
    private final IntConsumer fold = this::foldPart;
    private final IntConsumer forward = this::forwardPart;
    private final IntConsumer update = this::updatePart;

    // The batch being stepped, read by the parts while step() runs them and cleared after. Fields, not a record
    // handed to the parts as the evaluator does per pass: a record per step would allocate in every step. What
    // changes less often than the batch (sources, targets, the normalisation) is in the records above.
    private SoftmaxModel model;
    private byte[] pixels;
    /** The planes this step reads in place of {@link #pixels}, or null for whole rows. */
    private ColumnPlanes pixelPlanes;
    /** The quads this step reads in place of {@link #pixels} (its batch in order), or null. */
    private SampleQuads pixelQuads;
    private int[] rows;
    private int rowStart;
    private int n;
    private int columnParts;
    private float eta;
    private float twoLambda;
    /** Written by {@link #touchFirstLines} and {@link #touchLines} in a case that does not occur: their reads stay. */
    private int touched;
    /** Where the steps' time goes, when asked for ({@link #profile(StepProfile)}); null otherwise. */
    private StepProfile profile;

    /** Buffers for models of {@code classes} x {@code dim} and batches of up to {@code maxBatch}. */
    public SgdStep(Kernels kernels, WorkerPool pool, int classes, int dim, int maxBatch) {
        this(kernels, pool, classes, dim, maxBatch, kernels.softmaxLoss());
    }

    /** As the softmax step, with {@code loss} giving G from the scores. */
    public SgdStep(Kernels kernels, WorkerPool pool, int classes, int dim, int maxBatch, LossKernel loss) {
        this.loss = loss;
        // VectorTranslation moves a row as one 256-bit byte vector: narrower vectors take the scalar twin
        this.vectorFlip = kernels.lanes() >= 8;
        this.kernels = kernels;
        this.pool = pool;
        this.partialScores = new float[COLUMN_PARTS][classes * maxBatch];
        this.s = new float[classes * maxBatch];
        this.g = new float[classes * maxBatch];
        this.gT = new float[classes * maxBatch];
        this.gradients = new float[COLUMN_PARTS][classes * dim];
        this.gSum = new float[classes];
        this.wFolded = new float[COLUMN_PARTS][classes * dim];
        this.weightParts = new float[COLUMN_PARTS][classes * dim];
        this.bFolded = new float[classes];
        this.shiftParts = new float[strips(dim) * classes];
        this.labels = new int[maxBatch];
        this.maxBatch = maxBatch;
        this.readsPlanes = pool.threads() >= COLUMN_PARTS && strips(dim) >= COLUMN_PARTS;
        this.partWeights = new FoldedWeights[COLUMN_PARTS];
        this.partShares = new ScoreTile[COLUMN_PARTS];
        for (int part = 0; part < COLUMN_PARTS; part++) {
            partWeights[part] = new FoldedWeights(wFolded[part], null, classes, dim);
            partShares[part] = new ScoreTile(partialScores[part], 0, maxBatch);
        }
        int parts = Math.min(COLUMN_PARTS, strips(dim));
        this.partColumns = new Columns[parts];
        for (int part = 0; part < parts; part++) {
            partColumns[part] = new Columns(Math.min(dim, firstStrip(part, dim, parts) * COLUMN_STRIP),
                    Math.min(dim, firstStrip(part + 1, dim, parts) * COLUMN_STRIP), dim);
        }
        this.stripColumns = new Columns[strips(dim)];
        for (int strip = 0; strip < stripColumns.length; strip++) {
            stripColumns[strip] = new Columns(strip * COLUMN_STRIP, Math.min(dim, (strip + 1) * COLUMN_STRIP), dim);
        }
        this.stepTargets = new StepTarget[COLUMN_PARTS];
        this.rowSources = new RowSource[COLUMN_PARTS];
        this.quadSources = new QuadSource[COLUMN_PARTS];
    }

    /**
     * Makes the layout of {@code set} that steps with {@code kernels} on a pool of {@code threads} threads will
     * read, now rather than in their first step: its {@link SampleQuads} for batches in order of a size that
     * is a multiple of 4 where the kernels read quads, else its {@link ColumnPlanes} where such steps read
     * planes. For a caller with a moment to spare, such as while the kernels warm up.
     */
    public static void layOutForTraining(Kernels kernels, DataSet set, int threads, int batchSize,
            boolean batchesInOrder) {
        if (batchesInOrder && kernels.readsQuads() && batchSize % SampleQuads.MEMBERS == 0) {
            SampleQuads.of(set, columnBounds(set.dim(), Math.min(COLUMN_PARTS, strips(set.dim()))));
        } else if (threads >= COLUMN_PARTS && strips(set.dim()) >= COLUMN_PARTS) {
            ColumnPlanes.of(set, columnBounds(set.dim(), COLUMN_PARTS));
        }
    }

    /** The first column of each of {@code parts} column parts of {@code dim} columns, then {@code dim}. */
    private static int[] columnBounds(int dim, int parts) {
        int[] bounds = new int[parts + 1];
        for (int p = 0; p <= parts; p++) {
            bounds[p] = Math.min(dim, firstStrip(p, dim, parts) * COLUMN_STRIP);
        }
        return bounds;
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
        FoldedWeights shape = partWeights[0];
        if (model.classes() != shape.classes() || model.dim() != shape.dim()) {
            throw new IllegalArgumentException("a model of " + model.classes() + " x " + model.dim()
                    + " for a step made for " + shape.classes() + " x " + shape.dim());
        }
        StepProfile timing = profile;
        long start = timing == null ? 0 : System.nanoTime();
        int[] setLabels = set.labels();
        for (int j = 0; j < n; j++) {
            labels[j] = setLabels[rows[rowStart + j]];
        }
        this.model = model;
        this.pixelPlanes = null;
        this.pixelQuads = null;
        int strips = strips(model.dim());
        this.columnParts = Math.min(COLUMN_PARTS, strips);
        if (flipped == null && moves == null) {
            this.pixels = set.pixels();
            this.rows = rows;
            this.rowStart = rowStart;
            if (kernels.readsQuads() && inQuads(rows, rowStart, n)) {
                if (quadsMadeFrom != set.pixels() || quads.size() != set.size() || quads.planes() != columnParts) {
                    quads = SampleQuads.of(set, columnBounds(set.dim(), columnParts));
                    quadsMadeFrom = set.pixels();
                }
                this.pixelQuads = quads;
            } else if (readsPlanes && !pool.asideRunning()) {
                if (planesMadeFrom != set.pixels() || planes.size() != set.size()) {
                    planes = ColumnPlanes.of(set, columnBounds(set.dim(), COLUMN_PARTS));
                    planesMadeFrom = set.pixels();
                }
                this.pixelPlanes = planes;
            }
        } else {
            if (augmented == null) {
                augmented = new AugmentedBatch(maxBatch, vectorFlip);
            }
            augmented.gather(set, rows, rowStart, n, flipped, moves);
            this.pixels = augmented.pixels();
            this.rows = augmented.rows();
            this.rowStart = 0;
        }
        this.n = n;
        bindPartInputs(set, model.weights());
        this.eta = (float) eta;
        this.twoLambda = (float) (2 * lambda);
        int classes = model.classes();

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
        long forwardStart = timing == null ? 0 : System.nanoTime();
        pool.runPinned(columnParts, forward);
        long serialStart = timing == null ? 0 : System.nanoTime();
        addShares(classes);
        accumulator.reset();
        loss.lossAndGradient(s, classes, n, labels, g, 1f / n, null, 0, accumulator);
        // db = G 1, the row sums of G; the weight gradient needs them too (dW = a (G Q) + c db + 2 lambda W).
        // The gradient kernel reads G sample-major: transposed in the same pass.
        for (int k = 0; k < classes; k++) {
            float sum = 0f;
            for (int j = 0; j < n; j++) {
                float v = g[k * n + j];
                sum += v;
                gT[j * classes + k] = v;
            }
            gSum[k] = sum;
        }
        long updateStart = timing == null ? 0 : System.nanoTime();
        pool.runPinned(columnParts, update);
        long updateEnd = timing == null ? 0 : System.nanoTime();
        foldedWeights = w;
        for (int k = 0; k < classes; k++) {
            b[k] -= this.eta * gSum[k];
        }
        this.model = null;
        this.pixels = null;
        this.pixelPlanes = null;
        this.pixelQuads = null;
        this.rows = null;
        if (timing != null) {
            timing.addStep(System.nanoTime() - start, serialStart - forwardStart, updateStart - serialStart,
                    updateEnd - updateStart);
        }
        return accumulator.lossSum();
    }

    /**
     * {@code S = (P_0 + P_1) + b'} in loops the JIT vectorises, one per part count up to {@link #COLUMN_PARTS}.
     * A share's row k starts at {@code k * maxBatch} ({@link #partShares}), S's at {@code k * n}.
     */
    private void addShares(int classes) {
        float[] first = partialScores[0];
        if (columnParts == 1) {
            for (int k = 0; k < classes; k++) {
                float bias = bFolded[k];
                int row = k * n;
                int share = k * maxBatch;
                for (int j = 0; j < n; j++) {
                    s[row + j] = first[share + j] + bias;
                }
            }
            return;
        }
        float[] second = partialScores[1];
        for (int k = 0; k < classes; k++) {
            float bias = bFolded[k];
            int row = k * n;
            int share = k * maxBatch;
            for (int j = 0; j < n; j++) {
                s[row + j] = (first[share + j] + second[share + j]) + bias;
            }
        }
    }

    /**
     * Makes the records the parts hand to the kernels where this step's inputs differ from the last step's: the
     * normalisation of {@code set}, the targets of the update of {@code weights}, and where each part reads its
     * pixels. A run of steps on one set and one row order makes none of them, so a step allocates nothing.
     */
    private void bindPartInputs(DataSet set, float[] weights) {
        if (affine == null || affine.scale() != set.scale() || affine.shift() != set.shift()) {
            affine = new Affine(set.scale(), set.shift());
        }
        int classes = model.classes();
        if (targetsFor != weights) {
            for (int part = 0; part < COLUMN_PARTS; part++) {
                stepTargets[part] = new StepTarget(classes, weightParts[part], weights, wFolded[part], shiftParts,
                        COLUMN_STRIP);
            }
            targetsFor = weights;
        }
        if (pixelQuads != null) {
            if (quadSourcesFor != pixelQuads) {
                for (int part = 0; part < pixelQuads.planes(); part++) {
                    quadSources[part] = new QuadSource(pixelQuads.plane(part), pixelQuads.width(part),
                            pixelQuads.firstColumn(part));
                }
                quadSourcesFor = pixelQuads;
            }
            return;
        }
        Object pixelsFrom = pixelPlanes == null ? pixels : pixelPlanes;
        if (sourcesFor != pixelsFrom || sourceRows != rows) {
            for (int part = 0; part < columnParts; part++) {
                rowSources[part] = new RowSource(partPixels(part), partRowLength(part), partFirstColumn(part), rows);
            }
            sourcesFor = pixelsFrom;
            sourceRows = rows;
        }
    }

    /**
     * Times the following steps' phases into {@code profile} (null: stop timing). The clock reads (14 a step
     * at two column parts) cost a small fraction of a step.
     */
    public void profile(StepProfile profile) {
        this.profile = profile;
    }

    /** Makes the next step fold W afresh: for a caller that has changed W in place since the last step. */
    public void forgetFold() {
        foldedWeights = null;
    }

    private static int strips(int dim) {
        return (dim + COLUMN_STRIP - 1) / COLUMN_STRIP;
    }

    /** The first strip of column part {@code part} of {@code parts}, for {@code dim} columns. */
    private static int firstStrip(int part, int dim, int parts) {
        return part * strips(dim) / parts;
    }

    /** The first strip of column part {@code part}; part p owns strips [firstStrip(p), firstStrip(p + 1)). */
    private int firstStrip(int part) {
        return firstStrip(part, model.dim(), columnParts);
    }

    private void foldPart(int part) {
        int dim = model.dim();
        int classes = model.classes();
        float[] w = model.weights();
        for (int strip = firstStrip(part); strip < firstStrip(part + 1); strip++) {
            int d0 = strip * COLUMN_STRIP;
            int d1 = Math.min(dim, d0 + COLUMN_STRIP);
            kernels.foldColumns(w, classes, affine, wFolded[part], shiftParts, strip * classes,
                    stripColumns[strip]);
            for (int k = 0; k < classes; k++) {
                System.arraycopy(w, k * dim + d0, weightParts[part], k * dim + d0, d1 - d0);
            }
        }
    }

    private void forwardPart(int part) {
        StepProfile timing = profile;
        long start = timing == null ? 0 : System.nanoTime();
        forwardProduct(part);
        if (timing != null) {
            timing.addForwardPart(part, System.nanoTime() - start);
        }
    }

    private void forwardProduct(int part) {
        if (pixelQuads != null) {
            byte[] plane = pixelQuads.plane(part);
            int width = pixelQuads.width(part);
            int first = rows[rowStart];
            touchLines(plane, first * width, (first + n + SampleQuads.MEMBERS - 1) / SampleQuads.MEMBERS
                    * SampleQuads.MEMBERS * width);
            kernels.quadScores(partWeights[part], partColumns[part], quadSources[part], first, n,
                    partShares[part]);
            return;
        }
        byte[] q = partPixels(part);
        int rowLength = partRowLength(part);
        int firstColumn = partFirstColumn(part);
        touchFirstLines(q, rowLength, partColumns[part].from() - firstColumn);
        kernels.partialScores(partWeights[part], partColumns[part], rowSources[part], rowStart, n,
                partShares[part]);
    }

    /** The array part {@code part} reads its pixels from: its plane, or the whole rows. */
    private byte[] partPixels(int part) {
        return pixelPlanes == null ? pixels : pixelPlanes.plane(part);
    }

    /** The row length of {@link #partPixels}. */
    private int partRowLength(int part) {
        return pixelPlanes == null ? model.dim() : pixelPlanes.width(part);
    }

    /** The column at which the rows of {@link #partPixels} start. */
    private int partFirstColumn(int part) {
        return pixelPlanes == null ? 0 : pixelPlanes.firstColumn(part);
    }

    /**
     * Reads the first cache line of the part's columns of every image (at {@code column} of its row of
     * {@code rowLength} in {@code q}), all before the kernel starts:
     * the batch's misses to memory then overlap, where the kernel, four images at a time, would meet
     * them four at a time, which makes training faster (docs/performance.md).
     */
    private void touchFirstLines(byte[] q, int rowLength, int column) {
        int sum = 0;
        for (int j = 0; j < n; j++) {
            sum += q[rows[rowStart + j] * rowLength + column];
        }
        // a sum of n bytes is never this; a field both threads wrote would bounce between their caches
        if (sum == Integer.MIN_VALUE) {
            touched = sum;
        }
    }

    /**
     * Whether the batch is images {@code rows[rowStart]} onwards in order from the start of a quad, as
     * {@link SampleQuads} serves it, and at least a quad: so that a shuffled run with tiny batches, whose
     * batch now and then happens to be such images, does not lay out the set for nothing.
     */
    private static boolean inQuads(int[] rows, int rowStart, int n) {
        int first = rows[rowStart];
        if (n < SampleQuads.MEMBERS || first % SampleQuads.MEMBERS != 0) {
            return false;
        }
        for (int j = 1; j < n; j++) {
            if (rows[rowStart + j] != first + j) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads one byte of every cache line of {@code q[from, to)}, all before the kernel starts. The
     * hardware prefetchers do not help the kernel (a batch read by it from memory takes as long as from cache
     * plus the time to read it through once, or longer); a loop of independent loads has many lines in
     * flight at once, where the kernel, tens of instructions per line, has a few.
     */
    private void touchLines(byte[] q, int from, int to) {
        int sum = 0;
        for (int i = from; i < to; i += CACHE_LINE) {
            sum += q[i];
        }
        if (sum == Integer.MIN_VALUE) {
            touched = sum;
        }
    }

    private void updatePart(int part) {
        StepProfile timing = profile;
        long start = timing == null ? 0 : System.nanoTime();
        updateStrips(part);
        if (timing != null) {
            timing.addUpdatePart(part, System.nanoTime() - start);
        }
    }

    /** The gradient of each strip of the part, used for the strip's update while it is still in L1. */
    private void updateStrips(int part) {
        int classes = model.classes();
        float[] gradient = gradients[part];
        SampleQuads stepQuads = pixelQuads;
        for (int strip = firstStrip(part); strip < firstStrip(part + 1); strip++) {
            Columns columns = stripColumns[strip];
            if (stepQuads != null) {
                kernels.quadGradient(gT, classes, n, quadSources[part], rows, rowStart, gradient, columns);
            } else {
                kernels.gradientPart(gT, classes, 0, n, rowSources[part], rowStart, gradient, columns);
            }
            kernels.stepFromGradient(gradient, gSum, affine, stepTargets[part], twoLambda, -eta, columns);
        }
    }
}
