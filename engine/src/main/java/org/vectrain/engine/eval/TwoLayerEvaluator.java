package org.vectrain.engine.eval;

import java.util.concurrent.atomic.AtomicInteger;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.kernels.Affine;
import org.vectrain.engine.kernels.DenseLayer;
import org.vectrain.engine.kernels.FoldedWeights;
import org.vectrain.engine.kernels.LossAccumulator;
import org.vectrain.engine.kernels.LossKernel;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.layout.SampleBlocks;
import org.vectrain.engine.model.TwoLayerModel;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * One pass of the two-layer network over a whole set: loss, cost, accuracy and (optionally) predictions. The set is
 * read in its {@link SampleBlocks} (made on first use, or ahead by {@link Evaluator#layOutForEvaluation}), with
 * the normalisation folded into the first layer once per pass ({@link TwoLayerKernels#foldTransposed}). It is cut
 * into chunks of {@link #CHUNK_BLOCKS} blocks at fixed positions; threads take chunks as they come, run both layers
 * on each ({@link TwoLayerKernels#blockHidden}, then {@link TwoLayerKernels#outputScores}) and the loss, and keep
 * the chunk's totals, which are added in chunk order: the figures are the same bits whatever the thread count.
 */
public final class TwoLayerEvaluator {
    /**
     * Blocks per chunk: two, which {@link TwoLayerKernels#blockHidden} reads side by side (two streams from memory
     * per core); the chunk's hidden values (m x 64 floats, 12.8 KB at m = 50) stay in L1 for the second layer.
     */
    public static final int CHUNK_BLOCKS = 2;
    /** Samples per chunk. */
    public static final int CHUNK = CHUNK_BLOCKS * TwoLayerKernels.SAMPLE_BLOCK;

    private final TwoLayerKernels kernels;
    private final LossKernel loss;
    private final WorkerPool pool;
    private final int classes;
    private final int hidden;
    private final Buffers[] buffers;
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final float[] wTransposed;
    private final float[] bFolded;
    private double[] chunkLoss = new double[0];
    private long[] chunkCorrect = new long[0];

    /** Per thread: a chunk's hidden values and scores, its labels and loss totals. */
    private static final class Buffers {
        final float[] h;
        final float[] s;
        final int[] labels = new int[CHUNK];
        final LossAccumulator accumulator = new LossAccumulator();

        Buffers(int classes, int hidden) {
            h = new float[hidden * CHUNK];
            s = new float[classes * CHUNK];
        }
    }

    /** A pass as its parts read it. */
    private record Pass(DataSet set, byte[] blocks, FoldedWeights first, DenseLayer second, int[] predictions,
            int chunks) {
    }

    public TwoLayerEvaluator(TwoLayerKernels kernels, LossKernel loss, WorkerPool pool, int classes, int dim,
            int hidden) {
        this.kernels = kernels;
        this.loss = loss;
        this.pool = pool;
        this.classes = classes;
        this.hidden = hidden;
        this.wTransposed = new float[dim * hidden];
        this.bFolded = new float[hidden];
        this.buffers = new Buffers[pool.threads()];
        for (int t = 0; t < buffers.length; t++) {
            buffers[t] = new Buffers(classes, hidden);
        }
    }

    /**
     * Loss, cost ({@code loss + lambda (||W1||^2 + ||W2||^2)}) and accuracy of {@code model} on {@code set}; the
     * arg-max class of sample i into {@code predictions[i]} when that is not null.
     */
    public Evaluation evaluate(TwoLayerModel model, DataSet set, double lambda, int[] predictions) {
        if (model.classes() != classes || model.hidden() != hidden || model.dim() * hidden != wTransposed.length
                || model.dim() != set.dim()) {
            throw new IllegalArgumentException("a network of " + model.classes() + " x " + model.hidden() + " x "
                    + model.dim() + " on data of dimension " + set.dim() + " for an evaluator of " + classes + " x "
                    + hidden + " x " + wTransposed.length / hidden);
        }
        int size = set.size();
        if (size == 0) {
            return new Evaluation(Double.NaN, Double.NaN, Double.NaN, 0, 0);
        }
        Pass pass = pass(model, set, predictions);
        if (chunkLoss.length < pass.chunks()) {
            chunkLoss = new double[pass.chunks()];
            chunkCorrect = new long[pass.chunks()];
        }
        nextChunk.set(0);
        pool.runPinned(buffers.length, part -> evaluateChunks(pass, buffers[part]));
        double lossSum = 0;
        long correct = 0;
        for (int c = 0; c < pass.chunks(); c++) {
            lossSum += chunkLoss[c];
            correct += chunkCorrect[c];
        }
        double meanLoss = lossSum / size;
        double cost = meanLoss + lambda * model.squaredWeights();
        return new Evaluation(meanLoss, cost, (double) correct / size, correct, size);
    }

    /**
     * The scores of every sample of {@code set}, class-major: class k of sample j at {@code [k * n + j]}, for
     * predictions and galleries.
     */
    public float[] scores(TwoLayerModel model, DataSet set) {
        int size = set.size();
        float[] out = new float[classes * size];
        if (size == 0) {
            return out;
        }
        Pass pass = pass(model, set, null);
        nextChunk.set(0);
        pool.runPinned(buffers.length, part -> {
            Buffers own = buffers[part];
            for (int c = nextChunk.getAndIncrement(); c < pass.chunks(); c = nextChunk.getAndIncrement()) {
                int from = c * CHUNK;
                int n = scoreChunk(pass, c, own);
                for (int k = 0; k < classes; k++) {
                    System.arraycopy(own.s, k * n, out, k * size + from, n);
                }
            }
        });
        return out;
    }

    /** The pass of {@code model} over {@code set}: its blocks, and the first layer folded for its normalisation. */
    private Pass pass(TwoLayerModel model, DataSet set, int[] predictions) {
        FoldedWeights first = TwoLayerKernels.foldTransposed(
                new DenseLayer(model.w1(), model.b1(), hidden, model.stride()), set.dim(),
                new Affine(set.scale(), set.shift()), wTransposed, bFolded);
        return new Pass(set, SampleBlocks.of(set).values(), first,
                new DenseLayer(model.w2(), model.b2(), classes, hidden), predictions,
                (set.size() + CHUNK - 1) / CHUNK);
    }

    /**
     * Both layers on chunk {@code c} into {@code own.s} (K x n, n the chunk's real samples, which it returns): the
     * kernels run on whole blocks, and a last chunk's scores are moved together past its padding samples.
     */
    private int scoreChunk(Pass pass, int c, Buffers own) {
        int n = Math.min(CHUNK, pass.set().size() - c * CHUNK);
        int blocks = (n + TwoLayerKernels.SAMPLE_BLOCK - 1) / TwoLayerKernels.SAMPLE_BLOCK;
        int columns = blocks * TwoLayerKernels.SAMPLE_BLOCK;
        kernels.blockHidden(pass.first(), pass.blocks(), c * CHUNK_BLOCKS, blocks, own.h, columns);
        kernels.outputScores(own.h, columns, pass.second(), own.s);
        if (columns != n) {
            for (int k = 1; k < classes; k++) {
                System.arraycopy(own.s, k * columns, own.s, k * n, n);
            }
        }
        return n;
    }

    /** Takes chunks until none is left. */
    private void evaluateChunks(Pass pass, Buffers own) {
        int[] setLabels = pass.set().labels();
        for (int c = nextChunk.getAndIncrement(); c < pass.chunks(); c = nextChunk.getAndIncrement()) {
            int from = c * CHUNK;
            int n = scoreChunk(pass, c, own);
            System.arraycopy(setLabels, from, own.labels, 0, n);
            own.accumulator.reset();
            loss.lossAndGradient(own.s, classes, n, own.labels, null, 0f, pass.predictions(), from,
                    own.accumulator);
            chunkLoss[c] = own.accumulator.lossSum();
            chunkCorrect[c] = own.accumulator.correct();
        }
    }
}
