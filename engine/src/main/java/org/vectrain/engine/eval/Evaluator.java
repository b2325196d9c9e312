package org.vectrain.engine.eval;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.PreparedData;
import org.vectrain.engine.kernels.FoldedWeights;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.LossAccumulator;
import org.vectrain.engine.kernels.LossKernel;
import org.vectrain.engine.layout.SampleBlocks;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * One pass over a whole set, or over several sets at once: scores, softmax, loss, accuracy and
 * (optionally) predictions, reading each image once, as bytes, with the normalisation folded into W and b
 * once per pass.
 *
 * <p>The images are read in the set's {@link SampleBlocks} (made on first use, or ahead by
 * {@link #layOutForEvaluation}), and kept with the set), where
 * {@link Kernels#blockScores} widens each pixel once for all classes and never reduces across lanes; W' is
 * transposed to D x K for it once per pass, and once for all the sets of a pass that share a normalisation.
 *
 * <p>Each set is cut into chunks of {@link #CHUNK} samples at fixed positions; the chunks of all the sets
 * of a pass are put end to end and threads take runs of whole chunks, so that no thread waits at the end
 * of one set while another finishes it. Per-chunk totals are added per set in chunk order, so a set's
 * figures are identical whatever the thread count and whichever other sets share its pass. Buffers are
 * kept between calls: once warmed up, a pass allocates only the returned figures and its small
 * description ({@code Pass}), which it hands to the parts.
 *
 * <p>A pass can also run aside ({@link #startAside}, {@link #finishAside}): the pool's last worker takes its
 * chunks one at a time while the caller does other work, and the caller takes whatever chunks are left
 * when it asks for the figures; the per-chunk totals make those the same bits.
 */
public final class Evaluator {
    /** Samples per chunk: a K x 256 score block (10 KB at K = 10) stays in L1 while images stream past. */
    public static final int CHUNK = 256;
    /** Whole sample blocks per chunk, so that every chunk starts on a block. */
    private static final int CHUNK_BLOCKS = CHUNK / Kernels.SAMPLE_BLOCK;

    private final Kernels kernels;
    private final WorkerPool pool;
    /** The loss measured: the kernels' softmax cross-entropy unless another was given. */
    private final LossKernel loss;
    private final float[][] scores;
    private final int[][] labels;
    private final LossAccumulator[] accumulators;
    /** Per fold of the pass (one per distinct normalisation): W' transposed to D x K, and b'. */
    private float[][] wTransposed = new float[0][];
    private float[][] bFolded = new float[0][];
    /** Per fold: {@link #wTransposed} and {@link #bFolded} as {@link Kernels#blockScores} takes them. */
    private FoldedWeights[] transposedFolds = new FoldedWeights[0];
    private float[] wFolded = new float[0];
    /** Each chunk's summed loss and correct count, by the chunk's place in its pass's order. */
    private double[] chunkLoss = new double[0];
    private long[] chunkCorrect = new long[0];
    /** The pass running aside, from {@link #startAside} until {@link #finishAside}; null otherwise. */
    private Pass aside;
    private double asideLambda;
    /** The next chunk of the pass running aside that nobody has taken: the worker and the caller take turns. */
    private final AtomicInteger nextChunk = new AtomicInteger();
    /** When the pass aside started, when the worker ran out of its chunks, and the last pass's duration. */
    private long asideStart;
    private long workerDone;
    private long asideNanos;

    /**
     * One pass as its parts read it, made when the pass starts and handed to every part: the model; per set s
     * of the pass its data, its {@link SampleBlocks} (null for an empty set), the folded weights of its
     * normalisation and where its predictions go (null for none); the first chunk of each set in the pass's
     * chunk order, with the end of the last set after them; and the number of chunks.
     */
    private record Pass(SoftmaxModel model, DataSet[] sets, SampleBlocks[] blocks, FoldedWeights[] folds,
            int[][] predictions, int[] firstChunk, int chunks) {
    }

    public Evaluator(Kernels kernels, WorkerPool pool, int classes) {
        this(kernels, pool, classes, kernels.softmaxLoss());
    }

    /** An evaluator whose loss figure is {@code loss} (accuracy is the arg-max score's either way). */
    public Evaluator(Kernels kernels, WorkerPool pool, int classes, LossKernel loss) {
        this.kernels = kernels;
        this.pool = pool;
        this.loss = loss;
        int threads = pool.threads();
        this.scores = new float[threads][classes * CHUNK];
        this.labels = new int[threads][CHUNK];
        this.accumulators = new LossAccumulator[threads];
        for (int t = 0; t < threads; t++) {
            accumulators[t] = new LossAccumulator();
        }
    }

    /**
     * Makes the evaluation layout ({@link SampleBlocks}) of the three sets of {@code data} now rather than in
     * the first evaluation: for a caller with a moment to spare, such as while the kernels warm up on another
     * thread.
     */
    public static void layOutForEvaluation(PreparedData data) {
        SampleBlocks.of(data.train());
        SampleBlocks.of(data.validation());
        SampleBlocks.of(data.test());
    }

    /**
     * Evaluates {@code model} on {@code set} with regularisation {@code lambda}.
     *
     * @param predictionsOut receives the predicted class of every sample when not null (length = set size)
     */
    public Evaluation evaluate(SoftmaxModel model, DataSet set, double lambda, int[] predictionsOut) {
        if (predictionsOut != null && predictionsOut.length != set.size()) {
            throw new IllegalArgumentException("predictions array has " + predictionsOut.length + " entries for "
                    + set.size() + " samples");
        }
        return evaluate(model, new DataSet[] {set}, lambda, new int[][] {predictionsOut})[0];
    }

    /**
     * Evaluates {@code model} on each of {@code sets} with regularisation {@code lambda}, in one parallel
     * pass; the figures of each set are exactly those {@link #evaluate(SoftmaxModel, DataSet, double, int[])}
     * gives for it alone.
     */
    public Evaluation[] evaluate(SoftmaxModel model, List<DataSet> sets, double lambda) {
        return evaluate(model, sets.toArray(new DataSet[0]), lambda, new int[sets.size()][]);
    }

    /**
     * Starts the pass {@link #evaluate(SoftmaxModel, List, double)} makes, on the pool's last worker
     * ({@link WorkerPool#runAside}), and returns: the caller trains on while it runs. {@code model} must stay
     * unchanged until {@link #finishAside} has returned the figures, which are the same bits.
     *
     * @throws IllegalStateException for a pool of one thread, or while a pass runs aside
     */
    public void startAside(SoftmaxModel model, List<DataSet> sets, double lambda) {
        if (aside != null) {
            throw new IllegalStateException("a pass is already running aside");
        }
        DataSet[] passSets = sets.toArray(new DataSet[0]);
        Pass pass = begin(model, passSets, new int[passSets.length][]);
        aside = pass;
        asideLambda = lambda;
        nextChunk.set(0);
        asideStart = System.nanoTime();
        try {
            // the worker's share: thread slot 1's buffers
            pool.runAside(() -> {
                claimChunks(pass, 1);
                workerDone = System.nanoTime();
            });
        } catch (RuntimeException e) {
            aside = null;
            throw e;
        }
    }

    /** Whether a pass started by {@link #startAside} is waiting for {@link #finishAside}. */
    public boolean runsAside() {
        return aside != null;
    }

    /**
     * The figures of the pass {@link #startAside} started: the caller takes the chunks the worker has not
     * yet taken, then waits for the worker's last one.
     */
    public Evaluation[] finishAside() {
        if (aside == null) {
            throw new IllegalStateException("no pass runs aside");
        }
        Pass pass = aside;
        boolean helped;
        long callerDone;
        try {
            helped = claimChunks(pass, 0) > 0;
            callerDone = System.nanoTime();
        } finally {
            // the worker's last chunk ends (or fails) before the evaluator takes another pass either way
            try {
                pool.awaitAside();
            } finally {
                aside = null;
            }
        }
        asideNanos = (helped ? Math.max(callerDone, workerDone) : workerDone) - asideStart;
        return totals(pass, asideLambda);
    }

    /**
     * How long the last pass {@link #finishAside} returned took, from its start to its last chunk, in
     * milliseconds: the evaluation's own time, whatever ran beside it.
     */
    public double lastAsideMillis() {
        return asideNanos / 1e6;
    }

    private Evaluation[] evaluate(SoftmaxModel model, DataSet[] passSets, double lambda, int[][] passPredictions) {
        if (aside != null) {
            throw new IllegalStateException("a pass is running aside");
        }
        Pass pass = begin(model, passSets, passPredictions);
        int parts = Math.min(pool.threads(), pass.chunks());
        if (parts > 0) {
            pool.run(parts, part -> evaluatePart(pass, part, parts));
        }
        return totals(pass, lambda);
    }

    /** Checks the sets, folds W and b once per normalisation and lays out the pass's chunks. */
    private Pass begin(SoftmaxModel model, DataSet[] passSets, int[][] passPredictions) {
        for (DataSet set : passSets) {
            if (set.dim() != model.dim()) {
                throw new IllegalArgumentException(set.name() + " has dimension " + set.dim() + ", the model "
                        + model.dim());
            }
        }
        prepare(model, passSets.length);
        int setCount = passSets.length;
        SampleBlocks[] blocks = new SampleBlocks[setCount];
        FoldedWeights[] setFolds = new FoldedWeights[setCount];
        int[] foldOf = new int[setCount];
        int[] firstChunk = new int[setCount + 1];
        int folds = 0;
        for (int i = 0; i < passSets.length; i++) {
            DataSet set = passSets[i];
            int fold = -1;
            for (int j = 0; j < i && fold < 0; j++) {
                if (sameNormalisation(passSets[j], set)) {
                    fold = foldOf[j];
                }
            }
            if (fold < 0) {
                fold = folds++;
                kernels.fold(model.weights(), model.bias(), model.classes(), model.dim(), set.scale(), set.shift(),
                        wFolded, bFolded[fold]);
                Kernels.transpose(wFolded, model.classes(), model.dim(), wTransposed[fold]);
            }
            foldOf[i] = fold;
            setFolds[i] = transposedFolds[fold];
            blocks[i] = set.size() == 0 ? null : SampleBlocks.of(set);
            firstChunk[i + 1] = firstChunk[i] + chunkCount(set.size());
        }
        int chunks = firstChunk[setCount];
        if (chunkLoss.length < chunks) {
            chunkLoss = new double[chunks];
            chunkCorrect = new long[chunks];
        }
        return new Pass(model, passSets, blocks, setFolds, passPredictions, firstChunk, chunks);
    }

    /** Each set's figures from its chunks' totals, added in chunk order. */
    private Evaluation[] totals(Pass pass, double lambda) {
        float[] w = pass.model().weights();
        double penalty = lambda * kernels.sumOfSquares(w, 0, w.length);
        int[] firstChunk = pass.firstChunk();
        Evaluation[] out = new Evaluation[pass.sets().length];
        for (int i = 0; i < out.length; i++) {
            int n = pass.sets()[i].size();
            if (n == 0) {
                out[i] = new Evaluation(Double.NaN, Double.NaN, Double.NaN, 0, 0);
                continue;
            }
            double lossSum = 0;
            long correct = 0;
            for (int c = firstChunk[i]; c < firstChunk[i + 1]; c++) {
                lossSum += chunkLoss[c];
                correct += chunkCorrect[c];
            }
            double meanLoss = lossSum / n;
            out[i] = new Evaluation(meanLoss, meanLoss + penalty, (double) correct / n, correct, n);
        }
        return out;
    }

    private static boolean sameNormalisation(DataSet a, DataSet b) {
        return (a.scale() == b.scale() || Arrays.equals(a.scale(), b.scale()))
                && (a.shift() == b.shift() || Arrays.equals(a.shift(), b.shift()));
    }

    private static int chunkCount(int n) {
        return (n + CHUNK - 1) / CHUNK;
    }

    /** Buffers for a pass of {@code setCount} sets on {@code model}'s shape. */
    private void prepare(SoftmaxModel model, int setCount) {
        int size = model.weights().length;
        if (wFolded.length != size || bFolded.length > 0 && bFolded[0].length != model.classes()) {
            wFolded = new float[size];
            wTransposed = new float[0][];
            bFolded = new float[0][];
            transposedFolds = new FoldedWeights[0];
        }
        if (wTransposed.length < setCount) {
            float[][] moreTransposed = Arrays.copyOf(wTransposed, setCount);
            float[][] moreBiases = Arrays.copyOf(bFolded, setCount);
            FoldedWeights[] moreFolds = Arrays.copyOf(transposedFolds, setCount);
            for (int f = wTransposed.length; f < setCount; f++) {
                moreTransposed[f] = new float[size];
                moreBiases[f] = new float[model.classes()];
                moreFolds[f] = new FoldedWeights(moreTransposed[f], moreBiases[f], model.classes(), model.dim());
            }
            wTransposed = moreTransposed;
            bFolded = moreBiases;
            transposedFolds = moreFolds;
        }
    }

    /** Part {@code partIndex} of {@code parts}: chunks [first, end) of the pass, in order. */
    private void evaluatePart(Pass pass, int partIndex, int parts) {
        int first = (int) ((long) partIndex * pass.chunks() / parts);
        int end = (int) ((long) (partIndex + 1) * pass.chunks() / parts);
        for (int g = first; g < end; g++) {
            evaluateChunk(pass, partIndex, g);
        }
    }

    /**
     * Chunks of the pass running aside, one at a time, with the buffers of thread {@code slot}, until none is
     * left; returns how many this thread took.
     */
    private int claimChunks(Pass pass, int slot) {
        int taken = 0;
        int g;
        while ((g = nextChunk.getAndIncrement()) < pass.chunks()) {
            evaluateChunk(pass, slot, g);
            taken++;
        }
        return taken;
    }

    /** Chunk {@code g} of the pass (in the pass's chunk order), with the buffers of thread {@code slot}. */
    private void evaluateChunk(Pass pass, int slot, int g) {
        float[] s = scores[slot];
        int[] chunkLabels = labels[slot];
        LossAccumulator acc = accumulators[slot];
        int classes = pass.model().classes();
        int[] firstChunk = pass.firstChunk();
        int set = 0;
        while (g >= firstChunk[set + 1]) {
            set++;
        }
        DataSet data = pass.sets()[set];
        int c = g - firstChunk[set];
        int n = data.size();
        int start = c * CHUNK;
        int count = Math.min(CHUNK, n - start);
        System.arraycopy(data.labels(), start, chunkLabels, 0, count);
        int blockCount = (count + Kernels.SAMPLE_BLOCK - 1) / Kernels.SAMPLE_BLOCK;
        int padded = blockCount * Kernels.SAMPLE_BLOCK;
        kernels.blockScores(pass.folds()[set], pass.blocks()[set].values(), c * CHUNK_BLOCKS, blockCount, s, padded);
        if (padded != count) {
            // The set's last block is not full: close the rows up to K x count for the softmax.
            for (int k = 1; k < classes; k++) {
                System.arraycopy(s, k * padded, s, k * count, count);
            }
        }
        acc.reset();
        loss.lossAndGradient(s, classes, count, chunkLabels, null, 0f, pass.predictions()[set], start, acc);
        chunkLoss[g] = acc.lossSum();
        chunkCorrect[g] = acc.correct();
    }

    @Override
    public String toString() {
        return "Evaluator[" + kernels.description() + ", " + pool.threads() + " threads, chunk " + CHUNK + "]";
    }
}
