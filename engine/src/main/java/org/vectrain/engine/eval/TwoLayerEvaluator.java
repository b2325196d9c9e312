package org.vectrain.engine.eval;

import java.util.concurrent.atomic.AtomicInteger;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.kernels.Affine;
import org.vectrain.engine.kernels.DenseLayer;
import org.vectrain.engine.kernels.LossAccumulator;
import org.vectrain.engine.kernels.LossKernel;
import org.vectrain.engine.kernels.RowSource;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.model.TwoLayerModel;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * One pass of the two-layer network over a whole set: loss, cost, accuracy and (optionally) predictions. The set
 * is cut into chunks of {@link #CHUNK} samples at fixed positions; threads take chunks as they come, each packs
 * its chunk ({@link TwoLayerKernels#pack}), runs both layers on it and the loss, and keeps the chunk's totals,
 * which are added in chunk order: the figures are the same bits whatever the thread count.
 */
public final class TwoLayerEvaluator {
    /** Samples per chunk: a block of a packed chunk (128 KB) stays in L2 while the forward tiles read it. */
    public static final int CHUNK = 64;

    private final TwoLayerKernels kernels;
    private final LossKernel loss;
    private final WorkerPool pool;
    private final int classes;
    private final int hidden;
    private final Buffers[] buffers;
    private final AtomicInteger nextChunk = new AtomicInteger();
    private double[] chunkLoss = new double[0];
    private long[] chunkCorrect = new long[0];
    private int[] identity = new int[0];

    /** Per thread: a packed chunk, its hidden values and scores, its labels and loss totals. */
    private static final class Buffers {
        final float[] packed;
        final float[] h;
        final float[] s;
        final int[] labels = new int[CHUNK];
        final LossAccumulator accumulator = new LossAccumulator();

        Buffers(int classes, int dim, int hidden) {
            packed = new float[TwoLayerKernels.packedLength(CHUNK, dim)];
            h = new float[hidden * CHUNK];
            s = new float[classes * CHUNK];
        }
    }

    /** A pass as its parts read it. */
    private record Pass(TwoLayerModel model, DataSet set, RowSource source, Affine affine, DenseLayer first,
            DenseLayer second, int[] predictions, int chunks) {
    }

    public TwoLayerEvaluator(TwoLayerKernels kernels, LossKernel loss, WorkerPool pool, int classes, int dim,
            int hidden) {
        this.kernels = kernels;
        this.loss = loss;
        this.pool = pool;
        this.classes = classes;
        this.hidden = hidden;
        this.buffers = new Buffers[pool.threads()];
        for (int t = 0; t < buffers.length; t++) {
            buffers[t] = new Buffers(classes, dim, hidden);
        }
    }

    /**
     * Loss, cost ({@code loss + lambda (||W1||^2 + ||W2||^2)}) and accuracy of {@code model} on {@code set}; the
     * arg-max class of sample i into {@code predictions[i]} when that is not null.
     */
    public Evaluation evaluate(TwoLayerModel model, DataSet set, double lambda, int[] predictions) {
        if (model.classes() != classes || model.hidden() != hidden || model.dim() != set.dim()) {
            throw new IllegalArgumentException("a network of " + model.classes() + " x " + model.hidden() + " x "
                    + model.dim() + " on data of dimension " + set.dim() + " for an evaluator of " + classes + " x "
                    + hidden);
        }
        int size = set.size();
        if (size == 0) {
            return new Evaluation(Double.NaN, Double.NaN, Double.NaN, 0, 0);
        }
        if (identity.length < size) {
            identity = new int[size];
            for (int i = 0; i < size; i++) {
                identity[i] = i;
            }
        }
        int chunks = (size + CHUNK - 1) / CHUNK;
        if (chunkLoss.length < chunks) {
            chunkLoss = new double[chunks];
            chunkCorrect = new long[chunks];
        }
        Pass pass = new Pass(model, set, RowSource.whole(set.pixels(), set.dim(), identity),
                new Affine(set.scale(), set.shift()),
                new DenseLayer(model.w1(), model.b1(), hidden, model.stride()),
                new DenseLayer(model.w2(), model.b2(), classes, hidden), predictions, chunks);
        nextChunk.set(0);
        pool.runPinned(buffers.length, part -> evaluateChunks(pass, buffers[part]));
        double lossSum = 0;
        long correct = 0;
        for (int c = 0; c < chunks; c++) {
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
        if (identity.length < size) {
            identity = new int[size];
            for (int i = 0; i < size; i++) {
                identity[i] = i;
            }
        }
        RowSource source = RowSource.whole(set.pixels(), set.dim(), identity);
        Affine affine = new Affine(set.scale(), set.shift());
        DenseLayer first = new DenseLayer(model.w1(), model.b1(), hidden, model.stride());
        DenseLayer second = new DenseLayer(model.w2(), model.b2(), classes, hidden);
        int chunks = (size + CHUNK - 1) / CHUNK;
        nextChunk.set(0);
        pool.runPinned(buffers.length, part -> {
            Buffers own = buffers[part];
            for (int c = nextChunk.getAndIncrement(); c < chunks; c = nextChunk.getAndIncrement()) {
                int from = c * CHUNK;
                int n = Math.min(CHUNK, size - from);
                kernels.pack(source, from, n, 0, n, affine, set.dim(), own.packed);
                kernels.hiddenForward(own.packed, n, first, 0, hidden, own.h);
                kernels.outputScores(own.h, n, second, own.s);
                for (int k = 0; k < classes; k++) {
                    System.arraycopy(own.s, k * n, out, k * size + from, n);
                }
            }
        });
        return out;
    }

    /** Takes chunks until none is left. */
    private void evaluateChunks(Pass pass, Buffers own) {
        DataSet set = pass.set();
        int size = set.size();
        int dim = set.dim();
        int[] setLabels = set.labels();
        for (int c = nextChunk.getAndIncrement(); c < pass.chunks(); c = nextChunk.getAndIncrement()) {
            int from = c * CHUNK;
            int n = Math.min(CHUNK, size - from);
            kernels.pack(pass.source(), from, n, 0, n, pass.affine(), dim, own.packed);
            kernels.hiddenForward(own.packed, n, pass.first(), 0, hidden, own.h);
            kernels.outputScores(own.h, n, pass.second(), own.s);
            System.arraycopy(setLabels, from, own.labels, 0, n);
            own.accumulator.reset();
            loss.lossAndGradient(own.s, classes, n, own.labels, null, 0f, pass.predictions(), from,
                    own.accumulator);
            chunkLoss[c] = own.accumulator.lossSum();
            chunkCorrect[c] = own.accumulator.correct();
        }
    }
}
