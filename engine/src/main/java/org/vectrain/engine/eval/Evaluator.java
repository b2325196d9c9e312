package org.vectrain.engine.eval;

import java.util.function.IntConsumer;
import org.vectrain.engine.model.DataSet;
import org.vectrain.engine.model.SampleBlocks;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.simd.Kernels;
import org.vectrain.engine.simd.LossAccumulator;
import org.vectrain.engine.simd.LossKernel;

/**
 * One pass over a whole set: scores, softmax, loss, accuracy and (optionally) predictions, reading
 * each image once, as bytes, with the normalisation folded into W and b once per pass.
 *
 * <p>The images are read in the set's {@link SampleBlocks} (made on first use, or ahead by
 * {@link org.vectrain.engine.data.PreparedData#layOutForEvaluation()}, and kept with the set), where {@link Kernels#blockScores} widens each pixel once for all classes and never reduces
 * across lanes; W' is transposed to D x K for it once per pass.
 *
 * <p>The set is cut into chunks of {@link #CHUNK} samples at fixed positions; threads take runs of
 * whole chunks, and per-chunk totals are added in chunk order, so the figures are identical whatever
 * the thread count. Buffers are kept between calls: evaluating allocates nothing once warmed up.
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
    private float[] wFolded = new float[0];
    private float[] bFolded = new float[0];
    private float[] wTransposed = new float[0];
    private double[] chunkLoss = new double[0];
    private long[] chunkCorrect = new long[0];

    // The call being evaluated, read by the parts.
    private SoftmaxModel model;
    private DataSet data;
    private SampleBlocks blocks;
    private int[] predictions;
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
        if (set.dim() != model.dim()) {
            throw new IllegalArgumentException(set.name() + " has dimension " + set.dim() + ", the model " + model.dim());
        }
        if (predictionsOut != null && predictionsOut.length != set.size()) {
            throw new IllegalArgumentException("predictions array has " + predictionsOut.length + " entries for "
                    + set.size() + " samples");
        }
        int n = set.size();
        if (n == 0) {
            return new Evaluation(Double.NaN, Double.NaN, Double.NaN, 0, 0);
        }
        prepare(n);
        if (wFolded.length != model.weights().length) {
            wFolded = new float[model.weights().length];
            wTransposed = new float[model.weights().length];
            bFolded = new float[model.classes()];
        }
        kernels.fold(model.weights(), model.bias(), model.classes(), model.dim(), set.scale(), set.shift(), wFolded,
                bFolded);
        transpose(wFolded, model.classes(), model.dim(), wTransposed);
        this.model = model;
        this.data = set;
        this.blocks = SampleBlocks.of(set);
        this.predictions = predictionsOut;
        this.chunks = (n + CHUNK - 1) / CHUNK;
        this.parts = Math.min(pool.threads(), chunks);
        pool.run(parts, part);
        this.model = null;
        this.data = null;
        this.blocks = null;
        this.predictions = null;

        double lossSum = 0;
        long correct = 0;
        for (int c = 0; c < chunks; c++) {
            lossSum += chunkLoss[c];
            correct += chunkCorrect[c];
        }
        double loss = lossSum / n;
        float[] w = model.weights();
        double cost = loss + lambda * kernels.sumOfSquares(w, 0, w.length);
        return new Evaluation(loss, cost, (double) correct / n, correct, n);
    }

    /** {@code out} (D x K) = {@code w} (K x D) transposed. */
    private static void transpose(float[] w, int classes, int dim, float[] out) {
        for (int k = 0; k < classes; k++) {
            for (int d = 0; d < dim; d++) {
                out[d * classes + k] = w[k * dim + d];
            }
        }
    }

    private void prepare(int n) {
        int chunkCount = (n + CHUNK - 1) / CHUNK;
        if (chunkLoss.length < chunkCount) {
            chunkLoss = new double[chunkCount];
            chunkCorrect = new long[chunkCount];
        }
    }

    private void evaluatePart(int part) {
        int firstChunk = (int) ((long) part * chunks / parts);
        int endChunk = (int) ((long) (part + 1) * chunks / parts);
        float[] s = scores[part];
        int[] chunkLabels = labels[part];
        LossAccumulator acc = accumulators[part];
        int[] setLabels = data.labels();
        int n = data.size();
        for (int c = firstChunk; c < endChunk; c++) {
            int start = c * CHUNK;
            int count = Math.min(CHUNK, n - start);
            System.arraycopy(setLabels, start, chunkLabels, 0, count);
            int blockCount = (count + Kernels.SAMPLE_BLOCK - 1) / Kernels.SAMPLE_BLOCK;
            int padded = blockCount * Kernels.SAMPLE_BLOCK;
            kernels.blockScores(wTransposed, bFolded, model.classes(), model.dim(), blocks.values(), c * CHUNK_BLOCKS,
                    blockCount, s, padded);
            if (padded != count) {
                // The set's last block is not full: close the rows up to K x count for the softmax.
                for (int k = 1; k < model.classes(); k++) {
                    System.arraycopy(s, k * padded, s, k * count, count);
                }
            }
            acc.reset();
            loss.lossAndGradient(s, model.classes(), count, chunkLabels, null, 0f, predictions, start, acc);
            chunkLoss[c] = acc.lossSum();
            chunkCorrect[c] = acc.correct();
        }
    }

    @Override
    public String toString() {
        return "Evaluator[" + kernels.description() + ", " + pool.threads() + " threads, chunk " + CHUNK + "]";
    }
}
