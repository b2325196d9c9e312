package org.vectrain.engine.eval;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.vectrain.engine.model.DataSet;
import org.vectrain.engine.model.SampleBlocks;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.simd.Kernels;
import org.vectrain.engine.simd.LossAccumulator;
import org.vectrain.engine.simd.LossKernel;

/**
 * One pass over a whole set, or over several sets at once: scores, softmax, loss, accuracy and
 * (optionally) predictions, reading each image once, as bytes, with the normalisation folded into W and b
 * once per pass.
 *
 * <p>The images are read in the set's {@link SampleBlocks} (made on first use, or ahead by
 * {@link org.vectrain.engine.data.PreparedData#layOutForEvaluation()}, and kept with the set), where
 * {@link Kernels#blockScores} widens each pixel once for all classes and never reduces across lanes; W' is
 * transposed to D x K for it once per pass, and once for all the sets of a pass that share a normalisation.
 *
 * <p>Each set is cut into chunks of {@link #CHUNK} samples at fixed positions; the chunks of all the sets
 * of a pass are put end to end and threads take runs of whole chunks, so that no thread waits at the end
 * of one set while another finishes it. Per-chunk totals are added per set in chunk order, so a set's
 * figures are identical whatever the thread count and whichever other sets share its pass. Buffers are
 * kept between calls: evaluating allocates nothing once warmed up (beyond the returned figures).
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
    /** Bound once: a method reference made per call would allocate per call. */
    private final IntConsumer part = this::evaluatePart;
    /** Per fold of the pass (one per distinct normalisation): W' transposed to D x K, and b'. */
    private float[][] wTransposed = new float[0][];
    private float[][] bFolded = new float[0][];
    private float[] wFolded = new float[0];
    private double[] chunkLoss = new double[0];
    private long[] chunkCorrect = new long[0];

    // The pass being evaluated, read by the parts; per set s of the pass: its data, blocks, fold, first
    // chunk in the pass's chunk order and predictions (may be null).
    private SoftmaxModel model;
    private DataSet[] sets = new DataSet[0];
    private SampleBlocks[] blocks = new SampleBlocks[0];
    private int[] foldOf = new int[0];
    private int[] firstChunk = new int[1];
    private int[][] predictions = new int[0][];
    private int parts;
    private int chunks;

    public Evaluator(Kernels kernels, WorkerPool pool, int classes) {
        this(kernels, pool, classes, kernels::softmaxCrossEntropy);
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

    private Evaluation[] evaluate(SoftmaxModel model, DataSet[] passSets, double lambda, int[][] passPredictions) {
        for (DataSet set : passSets) {
            if (set.dim() != model.dim()) {
                throw new IllegalArgumentException(set.name() + " has dimension " + set.dim() + ", the model "
                        + model.dim());
            }
        }
        prepare(model, passSets.length);
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
            sets[i] = set;
            blocks[i] = set.size() == 0 ? null : SampleBlocks.of(set);
            predictions[i] = passPredictions[i];
            firstChunk[i + 1] = firstChunk[i] + chunkCount(set.size());
        }
        this.model = model;
        this.chunks = firstChunk[passSets.length];
        if (chunkLoss.length < chunks) {
            chunkLoss = new double[chunks];
            chunkCorrect = new long[chunks];
        }
        this.parts = Math.min(pool.threads(), chunks);
        try {
            if (chunks > 0) {
                pool.run(parts, part);
            }
        } finally {
            this.model = null;
            Arrays.fill(sets, null);
            Arrays.fill(blocks, null);
            Arrays.fill(predictions, null);
        }

        float[] w = model.weights();
        double penalty = lambda * kernels.sumOfSquares(w, 0, w.length);
        Evaluation[] out = new Evaluation[passSets.length];
        for (int i = 0; i < passSets.length; i++) {
            int n = passSets[i].size();
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
        }
        if (wTransposed.length < setCount) {
            float[][] moreTransposed = Arrays.copyOf(wTransposed, setCount);
            float[][] moreBiases = Arrays.copyOf(bFolded, setCount);
            for (int f = wTransposed.length; f < setCount; f++) {
                moreTransposed[f] = new float[size];
                moreBiases[f] = new float[model.classes()];
            }
            wTransposed = moreTransposed;
            bFolded = moreBiases;
        }
        if (sets.length < setCount) {
            sets = new DataSet[setCount];
            blocks = new SampleBlocks[setCount];
            foldOf = new int[setCount];
            firstChunk = new int[setCount + 1];
            predictions = new int[setCount][];
        }
    }

    /** Chunks [first, end) of the pass, in order: runs through the sets they belong to. */
    private void evaluatePart(int partIndex) {
        int first = (int) ((long) partIndex * chunks / parts);
        int end = (int) ((long) (partIndex + 1) * chunks / parts);
        float[] s = scores[partIndex];
        int[] chunkLabels = labels[partIndex];
        LossAccumulator acc = accumulators[partIndex];
        int classes = model.classes();
        int dim = model.dim();
        int set = 0;
        for (int g = first; g < end; g++) {
            while (g >= firstChunk[set + 1]) {
                set++;
            }
            DataSet data = sets[set];
            int c = g - firstChunk[set];
            int n = data.size();
            int start = c * CHUNK;
            int count = Math.min(CHUNK, n - start);
            System.arraycopy(data.labels(), start, chunkLabels, 0, count);
            int blockCount = (count + Kernels.SAMPLE_BLOCK - 1) / Kernels.SAMPLE_BLOCK;
            int padded = blockCount * Kernels.SAMPLE_BLOCK;
            int fold = foldOf[set];
            kernels.blockScores(wTransposed[fold], bFolded[fold], classes, dim, blocks[set].values(),
                    c * CHUNK_BLOCKS, blockCount, s, padded);
            if (padded != count) {
                // The set's last block is not full: close the rows up to K x count for the softmax.
                for (int k = 1; k < classes; k++) {
                    System.arraycopy(s, k * padded, s, k * count, count);
                }
            }
            acc.reset();
            loss.lossAndGradient(s, classes, count, chunkLabels, null, 0f, predictions[set], start, acc);
            chunkLoss[g] = acc.lossSum();
            chunkCorrect[g] = acc.correct();
        }
    }

    @Override
    public String toString() {
        return "Evaluator[" + kernels.description() + ", " + pool.threads() + " threads, chunk " + CHUNK + "]";
    }
}
